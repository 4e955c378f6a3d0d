"""The person's check-in code page (/me/qr/), its offline service worker, and the page a
scanned code opens (/checkin/c/<payload>/): the check-in steps for the activity's
organiser, a neutral page that says nothing about the person for anyone else."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.access import Role, actor_for, display_name_for_partner
from portal.errors import ServiceError

from .services import checkin_verify, code_for, organiser_actions, payload_from_text


def alias_for(user) -> str:
    """The name under the person's code: what partners see on rosters (an alias, the
    masked name, or "Participant" for a juvenile), never more."""
    from portal.people.models import Supervisee

    supervisee_id = actor_for(user).supervisee_id
    if supervisee_id is not None:
        person = Supervisee.objects.only("legal_name", "alias", "is_juvenile").get(
            pk=supervisee_id)
        return display_name_for_partner(person)
    return user.get_full_name() or user.get_username()


@login_required
@never_cache
def my_qr(request):
    code = code_for(request.user, request=request)
    return render(request, "checkin/my_qr.html", {
        "svg": mark_safe(code["svg"]),  # segno output, no user text
        "code": code,
        "alias": alias_for(request.user),
    })


@require_GET
def service_worker(request):
    """Scoped to /me/qr/: keeps the code page and its assets for a site without signal."""
    response = HttpResponse(render_to_string("checkin/sw.js", request=request),
                            content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@never_cache
def scan(request, payload):
    """A scanned code. Who is not the person's organiser today learns nothing: not the
    name, not whether the code is valid."""
    actions, person, problem = [], None, ""
    user = request.user
    if user.is_authenticated and actor_for(user).supervisee_id is None:
        try:
            person = checkin_verify(payload)
        except ServiceError as error:
            # Only for organisers (people who record attendance at all): an expired code.
            problem = error.message if organiser_actions_possible(user) else ""
        else:
            actions = organiser_actions(user, person)
    if not actions:
        return render(request, "checkin/scan_neutral.html", {"problem": problem})
    return render(request, "checkin/scan.html", {
        "actions": actions, "payload": payload_from_text(payload),
        "name": alias_for(person),
    })


def organiser_actions_possible(user) -> bool:
    actor = actor_for(user)
    return bool(actor.units or actor.organisations or actor.has(Role.SUPERUSER))
