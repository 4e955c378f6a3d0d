import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .ics import build_calendar
from .registry import items_for

FEED_REFRESH = datetime.timedelta(hours=1)


def ics_response(body: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def settings_view(request):
    feed = services.feed_active(request.user)
    raw = services.feed_token(feed) if feed else None
    url = request.build_absolute_uri(services.feed_path(raw)) if raw else ""
    webcal = url.replace("https://", "webcal://").replace("http://", "webcal://") if url else ""
    return render(request, "calendar/settings.html",
                  {"feed": feed if raw else None, "url": url, "webcal": webcal})


@login_required
@require_POST
def feed_new(request):
    services.feed_create(user=request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer "
                                "works. Add the new one to your calendar app."))
    return redirect("calendar:settings")


@login_required
@require_POST
def feed_revoke(request):
    if services.feed_revoke(user=request.user):
        messages.success(request, _("Your calendar address no longer works."))
    else:
        messages.info(request, _("You had no calendar address."))
    return redirect("calendar:settings")


@require_GET
def feed(request, token: str):
    """The subscription itself: no session, the secret token is the key. Unknown,
    revoked or altered tokens get a plain 404 so nothing can be probed."""
    user = services.feed_resolve(token)
    if user is None:
        raise Http404
    body = build_calendar(items_for(user), name=_("Xiangyang · my schedule"),
                          uid=f"xiangyang-feed-{user.pk}", refresh=FEED_REFRESH)
    return ics_response(body, filename="xiangyang.ics", attachment=False)
