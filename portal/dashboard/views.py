from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import Role, actor_for, own_supervisee
from portal.notifications.selectors import latest_for, notifications_for
from portal.notifications.services import notification_mark_read
from portal.people.models import Consent
from portal.people.selectors import (
    assigned_to,
    caseload_summary,
    consent_rows,
    restrictions_for,
    target_for,
)
from portal.people.services import consent_record

from . import selectors

MESSAGES_PAGE_SIZE = 30


@login_required
def dashboard(request):
    """One page, a panel set per role; the most powerful role the account holds decides."""
    actor = actor_for(request.user)
    role = actor.primary_role
    context = {"actor": actor, "role": role,
               "recent_notifications": latest_for(request.user)}
    if role == Role.SUPERVISEE:
        context.update(selectors.supervisee_overview(actor.supervisee_id))
    elif role in (Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER):
        context.update(caseload_summary(request.user))
        if actor.has(Role.CASEWORKER):
            context.update(assigned_to(request.user), show_assigned=True)
        if role in (Role.UNIT_ADMIN, Role.SUPERUSER):
            rows = selectors.unit_rows(request.user)
            context.update(unit_rows=rows, chart=selectors.level_chart(rows),
                           staff_totals=selectors.staff_totals(rows),
                           partner_counts=selectors.partner_counts(request.user),
                           show_admin=True)
    elif role == Role.PARTNER_STAFF:
        context.update(selectors.partner_overview(request.user))
    elif role == Role.EDITOR:
        context.update(selectors.editor_overview(request.user))
    return render(request, "dashboard/dashboard.html", context)


@login_required
def me_record(request):
    """The person's own record in plain words, and their consents. Not logged as a staff
    read: it is the person reading about themselves."""
    supervisee = own_supervisee(request.user)
    if supervisee is None:
        raise Http404
    today = timezone.localdate()
    restrictions = restrictions_for(supervisee)
    context = {
        "supervisee": supervisee,
        "today": today,
        "target": target_for(supervisee),
        "prohibitions": [p for p in restrictions["prohibitions"] if p.is_active(today)],
        "bans": [b for b in restrictions["bans"] if b.is_active(today)],
        "travel": [t for t in restrictions["travel"] if t.ends_on is None or t.ends_on >= today],
        "skills": supervisee.skills.all(),
        "consents": consent_rows(supervisee),
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
        return redirect("me_record")
    consent_record(supervisee=supervisee, kind=kind, granted=granted == "1",
                   recorded_by=request.user)
    messages.success(request, _("Your choice has been saved."))
    return redirect("me_record")


@login_required
def notifications(request):
    page = Paginator(notifications_for(request.user), MESSAGES_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "dashboard/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request):
    raw = request.POST.get("id", "").strip()
    notification_id = None
    if raw:
        try:
            notification_id = int(raw)
        except ValueError:
            notification_id = -1
    changed = notification_mark_read(user=request.user, notification_id=notification_id)
    if notification_id is not None and not changed:
        # Unknown, already read, or someone else's: the same answer, and nothing changes.
        messages.error(request, _("That message was not found among your unread messages."))
    return redirect("notifications")
