"""Pages of employment help. Views ask selectors (which ask portal.access) what the user may
see, call services for every change, and turn a refusal into a message; nothing is changed
on a refusal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from portal.access import supervisee_for_staff, supervisees_visible_to
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.fragments import data_key
from portal.people.models import Supervisee

from . import selectors, services
from .filters import board_options
from .forms import (
    AnswerForm,
    FollowUpForm,
    JobForm,
    ProfileForm,
    RecommendForm,
    ReportingForm,
    StatusForm,
    TrainingBaseForm,
    TrainingOutcomeForm,
    TrainingPlaceForm,
)
from .models import Application, Job, TrainingPlace
from .services import ServiceError

PAGE_SIZE = 20


def _person_or_403(user):
    person = selectors.person_for(user)
    if person is None:
        raise PermissionDenied
    return person


def _require_staff(user):
    if not selectors.is_unit_staff(user):
        raise PermissionDenied


def _require_enterprise(user):
    if not selectors.is_enterprise_staff(user):
        raise PermissionDenied


def _refused(request, error: ServiceError):
    messages.error(request, error.message)


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Where to start ----------------------------------------------------------------------

@login_required
def home(request):
    """/jobs/: each role to its own starting page."""
    user = request.user
    if selectors.is_unit_staff(user):
        return redirect("employment:board")
    if selectors.is_enterprise_staff(user):
        return redirect("employment:enterprise")
    if selectors.person_for(user) is not None:
        return redirect("employment:matches")
    raise PermissionDenied


# --- The person's pages -------------------------------------------------------------------

@login_required
def matches(request):
    found = selectors.my_matches(request.user)
    if found is None:
        raise PermissionDenied
    page = _page(request, found.rows)
    waiting = [a for a in found.applications if a.status == Application.Status.RECOMMENDED]
    return render(request, "employment/matches.html", {
        "person": found.person, "page": page, "count": len(found.rows),
        "profile": found.has_profile,
        "consent": found.consent,
        "waiting": waiting,
        # The page's content is kept as one fragment keyed on all it shows: the rows of
        # this page (each opening with the person's facts it was assessed on), the query
        # its page links carry.
        "matches_key": data_key(request.GET.urlencode(), list(page.object_list), len(found.rows),
                                page.paginator.num_pages, waiting, found.has_profile,
                                found.consent),
    })


@login_required
def profile(request):
    person = _person_or_403(request.user)
    instance = selectors.profile_for(person)
    consent = selectors.employer_consent_given(person)
    form = ProfileForm(request.POST or None, instance=instance, consent=consent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.profile_save(
                supervisee=person, actor=request.user, skills=data["skills"],
                work_history=data["work_history"],
                preferred_districts=data["preferred_districts"],
                preferred_shifts=data["preferred_shifts"],
                max_hours_per_week=data["max_hours_per_week"],
                visible_to_employers=data["visible_to_employers"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your job profile is saved."))
            return redirect("employment:matches")
    return render(request, "employment/profile.html", {"form": form, "person": person,
                                                       "consent": consent})


@login_required
def my_applications(request):
    person = _person_or_403(request.user)
    return render(request, "employment/my_applications.html", {
        "person": person, "applications": selectors.my_applications(person)})


@login_required
def job_detail(request, pk):
    job = selectors.opening_for(request.user, Job, pk)
    return _opening_page(request, job)


@login_required
def training_detail(request, pk):
    place = selectors.opening_for(request.user, TrainingPlace, pk)
    return _opening_page(request, place)


def _opening_page(request, opening):
    manages = opening.organisation_id in {o.pk for o in selectors.enterprises_for(request.user)}
    return render(request, "employment/opening_detail.html", {
        "opening": opening, "is_job": isinstance(opening, Job),
        "person": selectors.person_for(request.user),
        "manages": manages, "is_staff": selectors.is_unit_staff(request.user),
        "can_apply": (opening.assessment is not None and not opening.assessment.excluded
                      and opening.is_open and (opening.my_application is None
                                               or opening.my_application.status
                                               == Application.Status.WITHDRAWN)),
    })


@login_required
@require_POST
def apply_job(request, pk):
    return _apply(request, Job, pk)


@login_required
@require_POST
def apply_training(request, pk):
    return _apply(request, TrainingPlace, pk)


def _apply(request, model, pk):
    person = _person_or_403(request.user)
    opening = selectors.opening_for(request.user, model, pk)  # 404 when excluded
    ids = {"job_id": opening.pk} if model is Job else {"training_place_id": opening.pk}
    try:
        services.application_create(supervisee=person,
                                    message=request.POST.get("message", ""), **ids)
    except ServiceError as error:
        if error.status == 404:
            raise Http404 from None
        _refused(request, error)
    else:
        messages.success(request, _("Your application was sent to the enterprise."))
    return redirect("employment:job" if model is Job else "employment:training_place",
                    pk=opening.pk)


@login_required
@require_POST
def withdraw(request, pk):
    person = _person_or_403(request.user)
    try:
        services.application_withdraw(supervisee=person, application_id=pk)
    except ServiceError as error:
        if error.status == 404:
            raise Http404 from None
        _refused(request, error)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("employment:my_applications")


@login_required
@require_POST
def answer(request, pk):
    person = _person_or_403(request.user)
    selectors.own_application(person, pk)  # someone else's: 404 before anything else
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you agree."))
        return redirect("employment:my_applications")
    agree = form.cleaned_data["decision"] == "agree"
    try:
        services.recommendation_answer(supervisee=person, application_id=pk, agree=agree)
    except ServiceError as error:
        if error.status == 404:
            raise Http404 from None
        _refused(request, error)
    else:
        messages.success(request, _("You agreed: the enterprise can now see your application.")
                         if agree else _("You did not agree; the enterprise was not told."))
    return redirect("employment:my_applications")


# --- Applications (the person, the enterprise, staff) -----------------------------------------

@login_required
def application(request, pk):
    app = selectors.application_for(request.user, pk)
    role = selectors.viewer_role(request.user, app)
    context = {"application": app, "role": role,
               "history": selectors.application_history(app, role),
               "can_progress": (role != "person" and app.status in services.PROGRESS
                                and services.can_progress(request.user, app)),
               "status_form": StatusForm(allowed=services.PROGRESS.get(app.status, ()))}
    if role == "staff":
        access_log_record(actor=request.user, supervisee=app.supervisee,
                          action=AccessLogEntry.Action.VIEW,
                          what=_("Viewed a job application"), path=request.path)
    if role == "enterprise":
        candidate = selectors.Candidate(app.supervisee, selectors.person_facts(app.supervisee),
                                        None, app)
        context["candidate"] = selectors.partner_profile(candidate)
    return render(request, "employment/application.html", context)


@login_required
@require_POST
def application_status(request, pk):
    app = selectors.application_for(request.user, pk)
    if selectors.viewer_role(request.user, app) == "person":
        raise PermissionDenied
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status and date."))
        return redirect("employment:application", pk=app.pk)
    try:
        services.application_status_set(actor=request.user, application_id=app.pk,
                                        **form.cleaned_data)
    except ServiceError as error:
        if error.status == 404:
            raise Http404 from None
        _refused(request, error)
    else:
        messages.success(request, _("Status updated; the person has been told."))
    return redirect("employment:application", pk=app.pk)


# --- Unit staff ----------------------------------------------------------------------------------

@login_required
def board(request):
    _require_staff(request.user)
    chosen = bool(set(request.GET) - {"page"})  # a filter asked for, not only a page
    jobs = selectors.job_board(request.user, request.GET if chosen else None)
    query = request.GET.copy()
    query.pop("page", None)
    page = _page(request, jobs.qs)
    page.object_list = list(page.object_list)
    training_places = list(selectors.open_training_places()[:20])
    follow_ups_due = selectors.follow_ups_due(request.user)
    return render(request, "employment/board.html", {
        "filter": jobs, "page": page, "query": query.urlencode(),
        "training_places": training_places, "follow_ups_due": follow_ups_due,
        # The page's content is kept as one fragment keyed on all it shows.
        "board_key": data_key(request.GET.urlencode(), board_options(), page.object_list,
                              page.number, page.paginator.count, training_places,
                              follow_ups_due)})


def _staff_person(request, pk, *, what):
    _require_staff(request.user)
    return supervisee_for_staff(request.user, pk, what=what, path=request.path)


def _staff_person_quiet(request, pk):
    """For a write: the service logs what it changes."""
    _require_staff(request.user)
    try:
        return supervisees_visible_to(request.user).select_related("user").get(pk=pk)
    except (Supervisee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
def person(request, pk):
    supervisee = _staff_person(request, pk, what=_("Viewed employment help"))
    context = selectors.person_employment(supervisee)
    profile = context["profile"]
    context.update({
        "person": supervisee,
        "reporting_form": ReportingForm(initial={
            "weekday": profile.reporting_weekday if profile else None,
            "period": profile.reporting_period if profile else ""}),
        "today": timezone.localdate(),
        "follow_up_form": FollowUpForm(),
    })
    return render(request, "employment/person.html", context)


@login_required
@require_POST
def recommend(request, pk):
    supervisee = _staff_person_quiet(request, pk)
    form = RecommendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an opening to recommend."))
        return redirect("employment:person", pk=supervisee.pk)
    try:
        services.application_recommend(actor=request.user, supervisee=supervisee,
                                       note=form.cleaned_data["note"], **form.opening_ids())
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Recommended. The person will be asked to agree before "
                                    "the enterprise sees anything."))
    return redirect("employment:person", pk=supervisee.pk)


@login_required
@require_POST
def reporting(request, pk):
    supervisee = _staff_person_quiet(request, pk)
    form = ReportingForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose a valid day and time.")]:
            messages.error(request, error)
        return redirect("employment:person", pk=supervisee.pk)
    try:
        services.reporting_duty_set(actor=request.user, supervisee=supervisee,
                                    weekday=form.cleaned_data["weekday"],
                                    period=form.cleaned_data["period"])
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Reporting duties saved; matches now take them into "
                                    "account."))
    return redirect("employment:person", pk=supervisee.pk)


@login_required
@require_POST
def follow_up(request, pk):
    item = selectors.follow_up_for_staff(request.user, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the person is still employed."))
        return redirect("employment:person", pk=item.placement.supervisee_id)
    try:
        done = services.follow_up_complete(actor=request.user, follow_up_id=pk,
                                           still_employed=form.cleaned_data["still_employed"],
                                           note=form.cleaned_data["note"])
    except ServiceError as error:
        if error.status == 404:
            raise Http404 from None
        _refused(request, error)
        return redirect("employment:person", pk=item.placement.supervisee_id)
    messages.success(request, _("Follow-up recorded."))
    return redirect("employment:person", pk=done.placement.supervisee_id)


@login_required
@require_POST
def training_outcome(request, pk):
    item = selectors.training_enrolment_for_staff(request.user, pk)
    form = TrainingOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the person completed the training."))
        return redirect("employment:person", pk=item.supervisee_id)
    try:
        services.training_outcome_record(actor=request.user, enrolment_id=pk,
                                         outcome=form.cleaned_data["outcome"],
                                         finished_on=form.cleaned_data["finished_on"],
                                         note=form.cleaned_data["note"])
    except ServiceError as error:
        if error.status == 404:
            raise Http404 from None
        _refused(request, error)
    else:
        messages.success(request, _("Training outcome recorded."))
    return redirect("employment:person", pk=item.supervisee_id)


@login_required
def figures(request):
    _require_staff(request.user)
    return render(request, "employment/figures.html", {
        **selectors.unit_figures(request.user), "follow_up_form": FollowUpForm(),
        "today": timezone.localdate()})


# --- Enterprise staff -----------------------------------------------------------------------------

@login_required
def enterprise(request):
    _require_enterprise(request.user)
    return render(request, "employment/enterprise.html",
                  selectors.enterprise_overview(request.user))


@method_decorator(login_required, name="dispatch")
class OpeningFormView(View):
    """Create (no pk) or edit one of the user's enterprise's jobs (`is_job`) or training
    places: the same form page, service call and messages for both."""

    is_job = True

    def dispatch(self, request, pk=None):
        _require_enterprise(request.user)
        user = request.user
        enterprises = selectors.enterprises_for(user)
        if self.is_job:
            opening = selectors.job_for_manager(user, pk) if pk is not None else None
            form = JobForm(request.POST or None, instance=opening, enterprises=enterprises)
        else:
            opening = (selectors.training_place_for_manager(user, pk) if pk is not None
                       else None)
            form = TrainingPlaceForm(request.POST or None, instance=opening,
                                     enterprises=enterprises,
                                     bases=selectors.training_bases_for(user))
        if request.method == "POST" and form.is_valid():
            organisation = opening.organisation if opening else form.cleaned_data["organisation"]
            try:
                saved = self.save(user, organisation, opening, form.save_kwargs())
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Job saved.") if self.is_job
                                 else _("Training place saved."))
                return redirect("employment:job" if self.is_job else "employment:training_place",
                                pk=saved.pk)
        return render(request, "employment/opening_form.html",
                      {"form": form, "opening": opening, "is_job": self.is_job})

    def save(self, user, organisation, opening, values):
        if self.is_job:
            return services.job_save(actor=user, organisation=organisation, job=opening,
                                     **values)
        return services.training_place_save(actor=user, organisation=organisation,
                                            place=opening, **values)


@login_required
def base_create(request):
    _require_enterprise(request.user)
    return _base_form(request, None)


@login_required
def base_edit(request, pk):
    _require_enterprise(request.user)
    return _base_form(request, selectors.training_base_for_manager(request.user, pk))


def _base_form(request, base):
    form = TrainingBaseForm(request.POST or None, instance=base,
                            enterprises=selectors.enterprises_for(request.user))
    if request.method == "POST" and form.is_valid():
        organisation = base.organisation if base else form.cleaned_data["organisation"]
        try:
            services.training_base_save(actor=request.user, organisation=organisation,
                                        base=base, **form.save_kwargs())
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Training base saved."))
            return redirect("employment:enterprise")
    return render(request, "employment/base_form.html", {"form": form, "base": base})


@login_required
def candidates(request, pk):
    _require_enterprise(request.user)
    job = selectors.job_for_manager(request.user, pk)
    found = selectors.candidates_for(request.user, job)
    return render(request, "employment/candidates.html",
                  {"job": job, "page": _page(request, found), "count": len(found)})


@login_required
def candidate(request, pk, person_pk):
    _require_enterprise(request.user)
    job = selectors.job_for_manager(request.user, pk)
    found = selectors.candidate_for(request.user, job, person_pk)
    access_log_record(actor=request.user, supervisee=found.supervisee,
                      action=AccessLogEntry.Action.VIEW,
                      what=_("An enterprise viewed a job profile"), path=request.path)
    return render(request, "employment/candidate.html", {
        "job": job, "candidate": found, "profile": selectors.partner_profile(found)})
