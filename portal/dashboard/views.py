from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import Role, actor_for, own_supervisee
from portal.notifications.models import Notification
from portal.notifications.services import notification_mark_read
from portal.people.models import Consent
from portal.people.selectors import caseload_summary, current_consents, target_for
from portal.people.services import consent_record

from . import selectors


@login_required
def dashboard(request):
    actor = actor_for(request.user)
    context = {"actor": actor, "role": actor.primary_role,
               "recent_notifications": request.user.notifications.all()[:5]}
    role = actor.primary_role
    if role == Role.SUPERVISEE:
        supervisee = own_supervisee(request.user)
        context.update(supervisee=supervisee, target=target_for(supervisee),
                       today=timezone.localdate())
    elif role in (Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER):
        context.update(caseload_summary(request.user))
        if role in (Role.UNIT_ADMIN, Role.SUPERUSER):
            context["unit_rows"] = selectors.unit_rows(request.user)
            context["partner_counts"] = selectors.partner_counts(request.user)
    elif role == Role.PARTNER_STAFF:
        context.update(selectors.partner_overview(request.user))
    elif role == Role.EDITOR:
        context.update(selectors.editor_overview(request.user))
    return render(request, "dashboard/dashboard.html", context)


@login_required
def me_record(request):
    supervisee = own_supervisee(request.user)
    if supervisee is None:
        raise Http404
    today = timezone.localdate()
    context = {
        "supervisee": supervisee,
        "today": today,
        "target": target_for(supervisee),
        "prohibitions": supervisee.active_prohibitions(today),
        "bans": [b for b in supervisee.occupational_bans.select_related("industry")
                 if b.is_active(today)],
        "travel": [t for t in supervisee.travel_approvals.select_related("destination")
                   if t.ends_on is None or t.ends_on >= today],
        "skills": supervisee.skills.all(),
        "consents": [(kind, label, state) for (kind, label), state in
                     zip(Consent.Kind.choices, current_consents(supervisee).values(),
                         strict=True)],
    }
    return render(request, "dashboard/me_record.html", context)


@login_required
@require_POST
def me_consent(request):
    supervisee = own_supervisee(request.user)
    if supervisee is None:
        raise Http404
    kind = request.POST.get("kind", "")
    granted = request.POST.get("granted", "")
    if kind not in Consent.Kind.values or granted not in ("0", "1"):
        messages.error(request, _("That choice was not understood; nothing was changed."))
        return redirect("me_record", permanent=False)
    consent_record(supervisee=supervisee, kind=kind, granted=granted == "1",
                   recorded_by=request.user)
    messages.success(request, _("Your choice has been saved."))
    return redirect("me_record")


@login_required
def notifications(request):
    items = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "dashboard/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_mark_read(request):
    raw = request.POST.get("id")
    notification_id = None
    if raw:
        try:
            notification_id = int(raw)
        except ValueError:
            messages.error(request, _("That message was not found."))
            return redirect("notifications")
    notification_mark_read(user=request.user, notification_id=notification_id)
    return redirect("notifications")
