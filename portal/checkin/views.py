import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .services import checkin_payload_for, max_age, qr_svg


@login_required
def my_qr(request):
    payload = checkin_payload_for(request.user)
    valid_for = max_age()
    return render(request, "checkin/my_qr.html", {
        "svg": mark_safe(qr_svg(payload, title=_("My check-in code"))),  # segno output, no user text
        "valid_until": timezone.localtime() + datetime.timedelta(seconds=valid_for),
        # Reload a minute before the code expires, so the screen always shows a valid one.
        "refresh_after": max(valid_for - 60, 30),
    })
