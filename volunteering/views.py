"""Pages of service and volunteering. Views ask selectors (which ask portal.access) what the
user may see, call services for every change, and turn a refusal into a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.access import Role, actor_for, supervisee_for_staff
from portal.checkin.services import qr_svg
from portal.people.selectors import current_consents

from . import calendar, exports, pdf, selectors, services
from .filters import empty_filter_form_html, filter_form_html
from .forms import (
    ActivityForm,
    AttendanceTimesForm,
    CorrectionRequestForm,
    ExportForm,
    HoursAdjustForm,
    ReasonForm,
    VolunteerNumberForm,
)
from .models import Activity, Signup
from .services import ServiceError


def _person_or_403(user):
    """The person's own pages and actions are for people with a supervisee record."""
    person = selectors.person_for(user)
    if person is None:
        raise PermissionDenied
    return person


def _require_organiser(user):
    if not selectors.can_organise(user):
        raise PermissionDenied


def _require_caseworker(user):
    if not actor_for(user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER):
        raise PermissionDenied


def _refused(request, error: ServiceError):
    messages.error(request, error.message)


# --- Browsing and signing up ---------------------------------------------------------------

ACTIVITIES_PAGE_SIZE = 20


@login_required
def activity_list(request):
    # The cards show the theme and the district, not the organiser or the venue type.
    related = ("theme", "district")
    person = selectors.person_for(request.user)
    first = selectors.first_activity_page(request.user, request.GET, size=ACTIVITIES_PAGE_SIZE,
                                          cards=True)
    if first is not None:  # a person's first page, nothing filtered: one statement
        rows, count = first
        paginator = Paginator(Activity.objects.none(), ACTIVITIES_PAGE_SIZE)
        paginator.count = count  # known from the page's own statement
        page = Page(rows, 1, paginator)
        browse, form_html = None, empty_filter_form_html(selectors.area_districts(person))
    else:
        browse = selectors.activity_browse(request.user, request.GET, related=related)
        page = _page_of(request, browse.qs)
        form_html = filter_form_html(browse)
    query = request.GET.copy()
    query.pop("page", None)
    # What counts toward the person's target this month, and whether the open
    # activities can still meet it (docs/domain.md rule 8).
    month = selectors.month_target(person) if person is not None else None
    return render(request, "volunteering/activity_list.html", {
        "filter": browse, "filter_form": form_html, "page": page, "person": person,
        "query": query.urlencode(), "can_organise": selectors.can_organise(request.user),
        "month_target": month, "filtered": first is None and any(
            value not in (None, "") for key, value in request.GET.items() if key != "page"),
    })


def _page_of(request, qs):
    cards = selectors.card_query(qs)
    paginator = Paginator(cards, ACTIVITIES_PAGE_SIZE)
    if request.GET.get("page") in (None, "", "1"):
        # The first page first: when it is short, it is all there is, and no COUNT is needed.
        rows = selectors.card_rows(cards[:ACTIVITIES_PAGE_SIZE])
        count = selectors.first_page_count(rows, 0, ACTIVITIES_PAGE_SIZE)
        if count is not None:
            paginator.count = count
        return Page(rows, 1, paginator)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.card_rows(page.object_list)
    return page


@login_required
def activity_detail(request, pk):
    activity = selectors.activity_for(request.user, pk)
    person = selectors.person_for(request.user)
    signup = selectors.signup_states(person, [activity]).get(activity.pk)
    cutoff = activity.cancellation_deadline(
        selectors.service_settings().cancellation_cutoff_hours)
    return render(request, "volunteering/activity_detail.html", {
        "activity": activity, "person": person, "signup": signup,
        "position": selectors.waitlist_position(signup) if signup else None,
        "can_sign_up": person is not None and signup is None and activity.signup_open(),
        "cancellation_deadline": cutoff,
        "can_manage": selectors.can_manage_activity(request.user, activity),
        "now": timezone.now(),
    })


@login_required
@require_GET
def activity_ics(request, pk):
    activity = selectors.activity_for(request.user, pk)
    response = HttpResponse(calendar.activity_ics(activity, request=request),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response


@login_required
@require_POST
def signup_create(request, pk):
    person = _person_or_403(request.user)
    activity = selectors.activity_for(request.user, pk)
    try:
        result = services.signup_create(supervisee=person, activity_id=activity.pk)
    except ServiceError as error:
        _refused(request, error)
    else:
        if result.status == Signup.Status.CONFIRMED:
            messages.success(request, _("You have a place. See you there!"))
        else:
            messages.success(request, _(
                "The activity is full: you are number %(n)s on the waiting list. We will "
                "tell you when a place is yours.") % {"n": result.position})
    return redirect("volunteering:activity", pk=activity.pk)


@login_required
@require_POST
def signup_cancel(request, pk):
    person = _person_or_403(request.user)
    activity = selectors.activity_for(request.user, pk)
    try:
        services.signup_cancel(supervisee=person, activity_id=activity.pk)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your sign-up has been cancelled."))
    return redirect("volunteering:activity", pk=activity.pk)


# --- A person's page ------------------------------------------------------------------------

@login_required
def me(request):
    person = _person_or_403(request.user)
    months, totals = selectors.hours_page(person)
    upcoming, history = selectors.my_page_signups(person)
    figures = selectors.my_page_figures(person)
    target = figures["target"]
    minimum = figures["certificate_minimum"]
    volunteer = totals["volunteer_service"]
    return render(request, "volunteering/me.html", {
        "person": person,
        "upcoming": upcoming,
        "history": history,
        "months": months,
        "totals": totals,
        "target": target,
        "target_percent": _percent(totals["month_counted"], target.service_hours if target else 0),
        "certificate_minimum": minimum,
        "certificate_percent": _percent(volunteer, minimum),
        "certificates": selectors.my_certificates(person) if figures["has_certificates"] else [],
        "corrections": (selectors.my_correction_requests(person) if figures["has_corrections"]
                        else []),
        "consent_certificate": figures["consent_certificate"],
        "consent_export": figures["consent_export"],
        "volunteer_number": figures["volunteer_number"],
        "number_form": VolunteerNumberForm(initial={
            "volunteer_number": figures["volunteer_number"]}),
        "checkin_url": reverse("checkin:my_qr"),
        "calendar_url": reverse("calendar:settings"),
    })


def _percent(value, whole) -> int:
    if not whole:
        return 100 if value else 0
    return max(0, min(100, int(value * 100 / whole)))


@login_required
def correction_request(request, signup_pk):
    person = _person_or_403(request.user)
    try:
        signup = Signup.objects.select_related("activity").get(pk=signup_pk, supervisee=person)
    except (Signup.DoesNotExist, ValueError):
        raise Http404 from None
    form = CorrectionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_request_create(supervisee=person, signup=signup,
                                               **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your report was sent to the organiser."))
            return redirect("volunteering:me")
    return render(request, "volunteering/correction_request.html",
                  {"form": form, "signup": signup, "activity": signup.activity})


@login_required
@require_POST
def certificates_request(request):
    person = _person_or_403(request.user)
    try:
        certificate = services.certificates_request(supervisee=person)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your volunteer-service record No. %(serial)s is ready.")
                         % {"serial": certificate.serial})
    return redirect("volunteering:me")


@login_required
@require_POST
def volunteer_number(request):
    """The person gives (or clears) their national volunteer number."""
    person = _person_or_403(request.user)
    form = VolunteerNumberForm(request.POST)
    if form.is_valid():
        try:
            services.volunteer_number_set(actor=request.user, supervisee=person,
                                          number=form.cleaned_data["volunteer_number"])
        except ServiceError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Your volunteer number is saved."))
    else:
        messages.error(request, _("A volunteer number is 4 to 30 letters or digits, as the "
                                  "national volunteer-service system gives it."))
    return redirect("volunteering:me")


@login_required
@require_GET
def certificate_pdf(request, pk):
    certificate = selectors.certificate_for(request.user, pk)
    if certificate.is_replaced:
        # The replaced record answers with the newest that replaced it.
        newest = selectors.latest_of(certificate)
        return redirect("volunteering:certificate_pdf", pk=newest.pk)
    actor = actor_for(request.user)
    if actor.supervisee_id != certificate.supervisee_id and actor.is_staff_role:
        supervisee_for_staff(request.user, certificate.supervisee_id,
                             what=_("Downloaded a volunteer-service certificate"),
                             path=request.path)
    verify_url = request.build_absolute_uri(
        reverse("certificate_verify", kwargs={"code": certificate.code}))
    response = HttpResponse(pdf.certificate_pdf(certificate, verify_url=verify_url),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.serial}.pdf"'
    return response


@require_GET
def certificate_verify(request, code):
    """Public: anyone holding a certificate can check it. Shows only the masked name, the
    volunteer number, each certifying organisation's hours, the total, the period and
    whether it is valid; a replaced certificate answers with the one replacing it."""
    public = selectors.certificate_public(code)
    return render(request, "volunteering/certificate_verify.html",
                  {"certificate": public, "masked_name": public and public["masked_name"]},
                  status=200 if public else 404)


# --- Organisers -------------------------------------------------------------------------------

@login_required
def organiser(request):
    _require_organiser(request.user)
    context = selectors.organiser_overview(request.user)
    if actor_for(request.user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER):
        context["hours_waiting"] = selectors.hours_to_confirm(request.user).count()
    return render(request, "volunteering/organiser.html", context)


@login_required
def activity_create(request):
    _require_organiser(request.user)
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        activity = _save(request, form, None)
        if activity is not None:
            messages.success(request, _("Draft saved. Publish it when it is ready."))
            return redirect("volunteering:manage", pk=activity.pk)
    return render(request, "volunteering/activity_form.html", {"form": form})


@login_required
def activity_edit(request, pk):
    _require_organiser(request.user)
    activity = selectors.activity_for_organiser(request.user, pk)
    if activity.status not in (Activity.Status.DRAFT, Activity.Status.PUBLISHED):
        messages.error(request, _("A completed or cancelled activity cannot be edited."))
        return redirect("volunteering:manage", pk=activity.pk)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, activity)
        if saved is not None:
            messages.success(request, _("Activity saved."))
            return redirect("volunteering:manage", pk=saved.pk)
    return render(request, "volunteering/activity_form.html",
                  {"form": form, "activity": activity})


def _save(request, form, activity):
    data = {k: form.cleaned_data[k] for k in services.ACTIVITY_FIELDS if k in form.cleaned_data}
    organiser = {} if form.fields["organiser"].disabled else form.organiser_kwargs()
    try:
        return services.activity_save(actor=request.user, activity=activity,
                                      skills=form.cleaned_data.get("skills"),
                                      **organiser, **data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errs in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            form.add_error(None, error)
    except ServiceError as error:
        form.add_error(None, error.message)
    return None


@login_required
@require_POST
def activity_publish(request, pk):
    _require_organiser(request.user)
    activity = selectors.activity_for_organiser(request.user, pk)
    try:
        services.activity_publish(actor=request.user, activity=activity)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Published: people can now sign up."))
    return redirect("volunteering:manage", pk=activity.pk)


@login_required
def activity_cancel(request, pk):
    _require_organiser(request.user)
    activity = selectors.activity_for_organiser(request.user, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.activity_cancel(actor=request.user, activity=activity,
                                         reason=form.cleaned_data["reason"])
            except ServiceError as error:
                _refused(request, error)
            else:
                messages.success(request, _("Cancelled; everyone signed up has been told."))
            return redirect("volunteering:manage", pk=activity.pk)
    return render(request, "volunteering/activity_cancel.html",
                  {"form": form, "activity": activity})


@login_required
@require_POST
def activity_complete(request, pk):
    _require_organiser(request.user)
    activity = selectors.activity_for_organiser(request.user, pk)
    try:
        services.activity_complete(actor=request.user, activity=activity)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Completed. People who did not come are marked as such."))
    return redirect("volunteering:manage", pk=activity.pk)


@login_required
def activity_manage(request, pk):
    _require_organiser(request.user)
    # The page shows the district and the organiser, not the theme or the venue type.
    activity = selectors.activity_for_organiser(
        request.user, pk, related=("district", "organisation", "unit"))
    roster = selectors.activity_roster(activity)
    now = timezone.now()
    opens = activity.starts_at - services.CHECKIN_OPENS_BEFORE
    return render(request, "volunteering/activity_manage.html", {
        "activity": activity, **roster, "now": now, "checkin_opens": opens,
        "checkin_open": (activity.status == Activity.Status.PUBLISHED
                         and opens <= now <= activity.ends_at + services.CHECKIN_CLOSES_AFTER),
    })


@login_required
@require_POST
def activity_scan(request, pk):
    """A scanned check-in code: checks the person in, or out if they are in already."""
    _require_organiser(request.user)
    activity = selectors.activity_for_organiser(request.user, pk)
    payload = request.POST.get("payload", "").strip()
    if not payload:
        messages.error(request, _("Scan the person's code first."))
        return redirect("volunteering:manage", pk=activity.pk)
    try:
        step, signup, entry = services.attendance_scan(actor=request.user, activity=activity,
                                                       payload=payload)
    except ServiceError as error:
        _refused(request, error)
    else:
        if step == "in":
            messages.success(request, _("%(name)s checked in.") % {"name": _display(signup)})
        elif step == "confirmed":
            messages.success(request, _("%(name)s's own times confirmed: %(hours)s hours.") % {
                "name": _display(signup), "hours": entry.hours if entry else 0})
        else:
            messages.success(request, _("%(name)s checked out: %(hours)s hours.") % {
                "name": _display(signup), "hours": entry.hours if entry else 0})
    return redirect("volunteering:manage", pk=activity.pk)


def _display(signup):
    from portal.access import display_name_for_partner

    return display_name_for_partner(signup.supervisee)


def _attendance_action(request, pk, signup_pk, action):
    _require_organiser(request.user)
    activity = selectors.activity_for_organiser(request.user, pk)
    signup = selectors.signup_for_organiser(request.user, activity, signup_pk)
    try:
        if action == "checkin":
            services.checkin(actor=request.user, activity=activity, signup=signup)
            messages.success(request, _("%(name)s checked in.") % {"name": _display(signup)})
        elif action == "checkout":
            _s, entry = services.checkout(actor=request.user, activity=activity, signup=signup)
            messages.success(request, _("%(name)s checked out: %(hours)s hours.") % {
                "name": _display(signup), "hours": entry.hours if entry else 0})
        elif action == "noshow":
            services.noshow_record(actor=request.user, signup=signup)
            messages.success(request, _("Recorded as not come."))
    except ServiceError as error:
        _refused(request, error)
    return redirect("volunteering:manage", pk=activity.pk)


@login_required
@require_POST
def attendance_checkin(request, pk, signup_pk):
    return _attendance_action(request, pk, signup_pk, "checkin")


@login_required
@require_POST
def attendance_checkout(request, pk, signup_pk):
    return _attendance_action(request, pk, signup_pk, "checkout")


@login_required
@require_POST
def attendance_noshow(request, pk, signup_pk):
    return _attendance_action(request, pk, signup_pk, "noshow")


@login_required
@require_POST
def attendance_confirm(request, pk, signup_pk):
    """The organiser confirms a person's own check-in times; the hours are credited."""
    _require_organiser(request.user)
    activity = selectors.activity_for_organiser(request.user, pk)
    signup = selectors.signup_for_organiser(request.user, activity, signup_pk)
    try:
        _s, entry = services.self_checkin_confirm(actor=request.user, signup=signup)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(name)s's own times confirmed: %(hours)s hours.") % {
            "name": _display(signup), "hours": entry.hours if entry else 0})
    return redirect(reverse("volunteering:manage", args=[activity.pk]) + f"#signup-{signup.pk}")


# --- Self check-in: the activity's poster code --------------------------------------------

@login_required
def activity_poster(request, pk):
    """A printable page with the code people scan to check themselves in and out."""
    _require_organiser(request.user)
    activity = selectors.activity_for_organiser(request.user, pk,
                                                related=("district", "organisation", "unit"))
    url = request.build_absolute_uri(
        reverse("volunteering:self_checkin", args=[services.poster_token(activity)]))
    opens, closes = services.self_checkin_window(activity)
    return render(request, "volunteering/activity_poster.html", {
        "activity": activity, "url": url, "opens": opens, "closes": closes,
        # segno's SVG of our own URL: no user text in it.
        "svg": mark_safe(qr_svg(url, title=_("Check-in code of this activity"))),
    })


@login_required
def self_checkin(request, token):
    """Where the poster code leads: the person's own arrival and leaving times, and the
    button for the next one while check-in is open."""
    person = _person_or_403(request.user)
    try:
        activity = services.activity_from_poster(token)
    except ServiceError:
        raise Http404 from None
    if request.method == "POST":
        try:
            step, _signup = services.self_checkin(supervisee=person, activity=activity)
        except ServiceError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Arrival recorded.") if step == "in"
                             else _("Leaving recorded. The organiser confirms your hours."))
        return redirect("volunteering:self_checkin", token=token)
    signup = Signup.objects.filter(activity=activity, supervisee=person,
                                   status=Signup.Status.CONFIRMED).first()
    now = timezone.now()
    opens, closes = services.self_checkin_window(activity)
    is_open = activity.status == Activity.Status.PUBLISHED and opens <= now <= closes
    step = None
    if signup is not None and is_open:
        if signup.checked_in_at is None:
            step = "in"
        elif signup.checked_out_at is None:
            step = "out"
    return render(request, "volunteering/self_checkin.html", {
        "activity": activity, "signup": signup, "step": step, "is_open": is_open,
        "opens": opens, "closes": closes, "now": now,
    })


@login_required
def attendance_edit(request, pk, signup_pk):
    """Times from a paper list, or the hours credited changed with a reason."""
    _require_organiser(request.user)
    activity = selectors.activity_for_organiser(request.user, pk)
    signup = selectors.signup_for_organiser(request.user, activity, signup_pk)
    times_form = AttendanceTimesForm(request.POST if "times" in request.POST else None,
                                     prefix="times")
    hours_form = HoursAdjustForm(request.POST if "hours" in request.POST else None,
                                 prefix="hours")
    if request.method == "POST":
        form = times_form if "times" in request.POST else hours_form
        if form.is_valid():
            try:
                if form is times_form:
                    services.attendance_record(actor=request.user, signup=signup,
                                               **form.cleaned_data)
                else:
                    services.hours_adjust(actor=request.user, signup=signup,
                                          **form.cleaned_data)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Attendance saved."))
                return redirect("volunteering:manage", pk=activity.pk)
    credited = services._credited(signup)
    return render(request, "volunteering/attendance_edit.html", {
        "activity": activity, "signup": signup, "name": _display(signup),
        "credited": credited, "times_form": times_form, "hours_form": hours_form,
    })


@login_required
@require_POST
def correction_decide(request, pk):
    _require_organiser(request.user)
    correction = selectors.correction_for_organiser(request.user, pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose to approve or reject."))
    else:
        try:
            services.correction_decide(actor=request.user, request=correction,
                                       approve=decision == "approve",
                                       note=request.POST.get("note", ""))
        except ServiceError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Decision saved; the participant has been told."))
    return redirect("volunteering:manage", pk=correction.signup.activity_id)


@login_required
def export(request):
    _require_organiser(request.user)
    form = ExportForm(request.GET or None, user=request.user)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        rows = selectors.export_rows(request.user, activity=data["activity"],
                                     date_from=data["date_from"], date_to=data["date_to"])
        what = _("Export for the national volunteer-service system (%(n)s rows)") % {
            "n": len(rows)}
        services.export_record(actor=request.user, rows=rows)
        services.export_log(actor=request.user, rows=rows, what=what, path=request.path)
        return exports.response(rows, fmt=data["format"])
    return render(request, "volunteering/export.html", {"form": form})


def _certificate_action(request, pk, action):
    if not (selectors.can_organise(request.user)
            or actor_for(request.user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER)):
        raise PermissionDenied
    certificate = selectors.certificate_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the certificate is revoked.") if action == "revoke"
                       else _("Say why the certificate is replaced."))
    else:
        try:
            if action == "revoke":
                services.certificate_revoke(actor=request.user, certificate=certificate,
                                            reason=form.cleaned_data["reason"])
            else:
                new = services.certificate_replace(actor=request.user, certificate=certificate,
                                                   reason=form.cleaned_data["reason"])
        except ServiceError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The certificate is revoked.") if action == "revoke"
                             else _("Certificate No. %(serial)s replaces it.") % {
                                 "serial": new.serial})
    return redirect(request.POST.get("next") if _safe_next(request) else "volunteering:organiser")


@login_required
@require_POST
def certificate_revoke(request, pk):
    return _certificate_action(request, pk, "revoke")


@login_required
@require_POST
def certificate_replace(request, pk):
    return _certificate_action(request, pk, "replace")


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.POST.get("next", "")
    return bool(nxt) and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})


# --- Caseworkers --------------------------------------------------------------------------------

@login_required
def hours_confirm(request):
    _require_caseworker(request.user)
    if request.method == "POST":
        n = services.hours_confirm(actor=request.user, entry_ids=request.POST.getlist("entry"))
        if n:
            messages.success(request, _("%(n)s entries confirmed.") % {"n": n})
        else:
            messages.error(request, _("Tick the entries to confirm; nothing was changed."))
        return redirect("volunteering:hours_confirm")
    page = Paginator(selectors.hours_to_confirm(request.user), 50).get_page(
        request.GET.get("page"))
    return render(request, "volunteering/hours_confirm.html", {"page": page})


@login_required
def person_hours(request, pk):
    _require_caseworker(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Read service hours"),
                                      path=request.path)
    rows = selectors.certifiable_hours(supervisee)
    if request.method == "POST":
        try:
            services.certificate_issue(supervisee=supervisee, issued_by=request.user)
        except ServiceError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Certificate issued."))
        return redirect("volunteering:person_hours", pk=supervisee.pk)
    profile = selectors.volunteer_profile(supervisee)
    return render(request, "volunteering/person_hours.html", {
        "month_target": selectors.month_target(supervisee),
        "supervisee": supervisee, "entries": selectors.person_hours_for_staff(
            request.user, supervisee),
        "months": selectors.hours_table(supervisee), "totals": selectors.hours_totals(supervisee),
        "certificates": selectors.my_certificates(supervisee), "rows": rows,
        "certifiable_total": sum((r["total"] for r in rows), 0),
        "consents": current_consents(supervisee),
        "number_form": VolunteerNumberForm(initial={
            "volunteer_number": profile.volunteer_number if profile else ""}),
    })


@login_required
@require_POST
def person_volunteer_number(request, pk):
    """Staff who may see the person record their national volunteer number."""
    _require_caseworker(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Changed the volunteer number"),
                                      path=request.path)
    form = VolunteerNumberForm(request.POST)
    if form.is_valid():
        try:
            services.volunteer_number_set(actor=request.user, supervisee=supervisee,
                                          number=form.cleaned_data["volunteer_number"])
        except ServiceError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The volunteer number is saved."))
    else:
        messages.error(request, _("A volunteer number is 4 to 30 letters or digits, as the "
                                  "national volunteer-service system gives it."))
    return redirect("volunteering:person_hours", pk=supervisee.pk)
