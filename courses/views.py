"""Course pages are Wagtail pages; these views are the actions around them (enrol, sign
up, complete a lesson), the person's own learning, and the organisers' and caseworkers'
pages. Each asks courses.selectors / portal.access who may do what."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.access import can_use_caseload, own_supervisee, supervisee_for_staff
from portal.audit.services import access_log_record
from portal.calendar.ics import build_calendar
from portal.calendar.views import ics_response
from portal.checkin.services import checkin_verify
from portal.errors import ServiceError
from portal.fragments import data_key
from portal.people.models import Supervisee

from . import selectors, services
from .calendar import session_item
from .forms import (
    AssignForm,
    AttendanceWithdrawForm,
    HoursCorrectionForm,
    SessionCancelForm,
    SessionForm,
)
from .models import Attendance, StudyHoursEntry


def _person(request) -> Supervisee:
    """The signed-in person taking courses; others are refused."""
    supervisee = own_supervisee(request.user, related=())
    if supervisee is None:
        raise PermissionDenied
    return supervisee


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _require_organiser(user):
    if not selectors.may_organise(user):
        raise PermissionDenied


def _require_caseworker(user):
    if not can_use_caseload(user):
        raise PermissionDenied


# --- The person's own learning --------------------------------------------------------------

MY_COURSES_PAGE_SIZE = 20


@login_required
def my_courses(request):
    supervisee = _person(request)
    now = timezone.now()
    everything = False
    if request.GET.get("page") in (None, "", "1"):
        # A short first page is every enrolment: its total needs no COUNT.
        rows, count = selectors.enrolments_page(supervisee, 0, MY_COURSES_PAGE_SIZE,
                                                providers=False)
        page = Paginator(selectors.FirstRows(rows, count), MY_COURSES_PAGE_SIZE).page(1)
        everything = count == len(rows)
    else:
        paginator = Paginator(selectors.enrolments_of(supervisee, providers=False),
                              MY_COURSES_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
    context = {
        "supervisee": supervisee,
        "page": page,
        "rows": selectors.progress_rows(page.object_list),
        "signups": selectors.upcoming_signups(supervisee, size=20, now=now),
        "hours": selectors.study_hours_month(supervisee, timezone.localdate(now),
                                             with_entries=False),
    }
    # The course list is kept as a fragment keyed on its rows (and the site's host, which
    # decides how page links are written).
    context["rows_key"] = data_key(request.get_host(), context["rows"])
    if page.number == 1:
        if everything:
            enrolled = {e.course_id for e in page.object_list}
        else:
            enrolled = selectors.enrolled_course_ids(supervisee)
        context.update(selectors.recommended_context(supervisee, enrolled=enrolled))
    return render(request, "courses/my_courses.html", context)


@login_required
def my_hours(request):
    supervisee = _person(request)
    month = selectors.parse_month(request.GET.get("month"))
    if month is None:
        messages.error(request, _("That month was not understood; showing this month."))
        month = timezone.localdate().replace(day=1)
    hours = selectors.study_hours_month(supervisee, month)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "courses/my_hours.html", {
        "hours": hours, "previous": previous,
        "following": following if following <= timezone.localdate() else None,
    })


@login_required
@require_POST
def enrol(request, course_id):
    supervisee = _person(request)
    course = selectors.course_for(course_id)
    try:
        services.enrolment_create(supervisee=supervisee, course=course)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect(_back(request, course.url))


@login_required
@require_POST
def lesson_complete(request, lesson_id):
    supervisee = _person(request)
    lesson = selectors.lesson_for(lesson_id)
    answers = {key[2:]: request.POST.getlist(key) for key in request.POST if
               key.startswith("q-")}
    try:
        result = services.lesson_complete(supervisee=supervisee, lesson=lesson,
                                          answers=answers)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(lesson.url)
    if result.course_completed:
        messages.success(request, _("Well done: you have completed the course."))
    elif result.completed and result.score is not None:
        messages.success(request, _("You passed the quiz with %(score)s%%. Lesson done.")
                         % {"score": result.score})
    elif result.completed:
        messages.success(request, _("Lesson done."))
    else:
        messages.warning(request, _("You scored %(score)s%%; %(mark)s%% is needed. Read the "
                                    "lesson again and have another try.")
                         % {"score": result.score, "mark": lesson.pass_mark})
    return redirect(lesson.url)


@login_required
@require_POST
def session_signup(request, pk):
    supervisee = _person(request)
    session = selectors.session_public(pk)
    try:
        services.session_signup(session_id=session.pk, supervisee=supervisee)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are signed up. The class is in your calendar."))
    return redirect(_back(request, session.course.url))


@login_required
@require_POST
def session_signup_cancel(request, pk):
    supervisee = _person(request)
    session = selectors.session_public(pk)
    try:
        services.session_signup_cancel(session_id=session.pk, supervisee=supervisee,
                                       cancelled_by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect(_back(request, session.course.url))


@require_GET
def session_ics(request, pk):
    """One class as an .ics file to add to a calendar. The online link is in it only for
    those signed up and the organisers."""
    session = selectors.session_public(pk)
    supervisee = own_supervisee(request.user) if request.user.is_authenticated else None
    with_link = False
    if supervisee is not None:
        with_link = session.signups.filter(supervisee=supervisee, status="confirmed").exists()
    elif request.user.is_authenticated and selectors.may_organise(request.user):
        with_link = selectors.sessions_managed_by(request.user).filter(pk=session.pk).exists()
    item = session_item(session, request=request, with_link=with_link)
    body = build_calendar([item], name=session.course.title,
                          uid=f"xiangyang-session-{session.pk}")
    return ics_response(body, filename=f"class-{session.pk}.ics", attachment=True)


# --- Organisers: classes and attendance ------------------------------------------------------

@login_required
def organiser_sessions(request):
    _require_organiser(request.user)
    past = request.GET.get("past") == "1"
    qs = selectors.organiser_sessions(request.user, past=past)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "courses/organiser_sessions.html", {"page": page, "past": past})


@login_required
def session_new(request):
    _require_organiser(request.user)
    form = SessionForm(request.POST or None, user=request.user,
                       initial={"course": request.GET.get("course")})
    if request.method == "POST" and form.is_valid():
        session = services.session_save(by=request.user, **form.cleaned_data)
        messages.success(request, _("The class is scheduled."))
        return redirect("courses:attendance", pk=session.pk)
    return render(request, "courses/session_form.html", {"form": form})


@login_required
def session_edit(request, pk):
    _require_organiser(request.user)
    session = selectors.session_for_organiser(request.user, pk)
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "course"}
        try:
            services.session_save(by=request.user, session=session, **fields)
        except ServiceError as error:
            form.add_error("capacity", error.message)
        else:
            messages.success(request, _("The class is saved; people signed up were told of "
                                        "any change of time or place."))
            return redirect("courses:attendance", pk=session.pk)
    return render(request, "courses/session_form.html", {"form": form, "session": session,
                                                         "cancel_form": SessionCancelForm()})


@login_required
@require_POST
def session_cancel(request, pk):
    _require_organiser(request.user)
    session = selectors.session_for_organiser(request.user, pk)
    form = SessionCancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.session_cancel(session=session, by=request.user, reason=reason)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The class is cancelled and those signed up were told."))
    return redirect("courses:attendance", pk=session.pk)


def _record(request, session, supervisee, method):
    try:
        services.attendance_record(session=session, supervisee=supervisee,
                                   recorded_by=request.user, method=method)
    except ServiceError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, _("Present: %(name)s")
                     % {"name": selectors.name_for_viewer(request.user, supervisee)})
    return True


@login_required
def attendance(request, pk):
    """The class's list: who signed up, who came; mark people present by hand."""
    _require_organiser(request.user)
    session = selectors.session_for_organiser(request.user, pk)
    roster = selectors.session_roster(request.user, session)
    if request.method == "POST":
        by_id = {str(row.supervisee.pk): row.supervisee for row in roster.rows}
        person = by_id.get(request.POST.get("person", ""))
        if person is None:
            messages.error(request, services.MESSAGES["person_not_signed_up"][0])
        else:
            _record(request, session, person, Attendance.Method.MANUAL)
        return redirect("courses:attendance", pk=session.pk)
    return render(request, "courses/attendance.html", {
        "session": session, "roster": roster, "withdraw_form": AttendanceWithdrawForm(),
        "now": timezone.now(),
    })


@login_required
def attendance_scan(request, pk):
    """Read the person's QR code (camera or pasted text) and record them present."""
    _require_organiser(request.user)
    session = selectors.session_for_organiser(request.user, pk)
    if request.method == "POST":
        try:
            user = checkin_verify(request.POST.get("payload", ""))
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            supervisee = Supervisee.objects.filter(user=user).first()
            if supervisee is None:
                messages.error(request, services.MESSAGES["person_not_signed_up"][0])
            else:
                _record(request, session, supervisee, Attendance.Method.QR)
        return redirect("courses:scan", pk=session.pk)
    roster = selectors.session_roster(request.user, session)
    return render(request, "courses/attendance_scan.html",
                  {"session": session, "roster": roster})


@login_required
@require_POST
def attendance_withdraw(request, pk):
    _require_organiser(request.user)
    session = selectors.session_for_organiser(request.user, pk)
    form = AttendanceWithdrawForm(request.POST)
    roster = selectors.session_roster(request.user, session)
    by_id = {row.supervisee.pk: row.supervisee for row in roster.rows}
    if not form.is_valid() or form.cleaned_data["person"] not in by_id:
        messages.error(request, _("Say why the record is being corrected; nothing was "
                                  "changed."))
        return redirect("courses:attendance", pk=session.pk)
    try:
        services.attendance_withdraw(session=session,
                                     supervisee=by_id[form.cleaned_data["person"]],
                                     corrected_by=request.user,
                                     reason=form.cleaned_data["reason"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The attendance was corrected and its hours taken back."))
    return redirect("courses:attendance", pk=session.pk)


@login_required
def attendance_csv(request, pk):
    _require_organiser(request.user)
    session = selectors.session_for_organiser(request.user, pk)
    roster = selectors.session_roster(request.user, session)
    access_log_record(actor=request.user, action="export", path=request.path,
                      what=_("Attendance list of class %(id)s (%(n)s people)")
                      % {"id": session.pk, "n": len(roster.rows)})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{session.pk}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("Signed up at"), _("Attendance"), _("Recorded at"),
                     _("How")])
    for row in roster.rows:
        a = row.attendance
        writer.writerow([
            row.name,
            timezone.localtime(row.signup.created_at).strftime("%Y-%m-%d %H:%M"),
            a.get_status_display() if a else _("Not recorded"),
            timezone.localtime(a.recorded_at).strftime("%Y-%m-%d %H:%M") if a else "",
            a.get_method_display() if a else "",
        ])
    if roster.hidden:
        writer.writerow([_("%(n)s juvenile participants (recorded by corrections staff)")
                         % {"n": roster.hidden}, "", "", "", ""])
    return response


# --- Caseworkers -----------------------------------------------------------------------------

@login_required
def behind(request):
    _require_caseworker(request.user)
    mine = request.GET.get("mine") == "1"
    rows = selectors.behind_this_month(request.user, mine=mine)
    return render(request, "courses/behind.html", {
        "rows": rows, "mine": mine, "today": timezone.localdate(),
    })


@login_required
def person_history(request, pk):
    _require_caseworker(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Opened course history"),
                                      path=request.path)
    context = selectors.person_history(supervisee)
    context.update(supervisee=supervisee,
                   hours=selectors.study_hours_month(supervisee, timezone.localdate(),
                                                     with_entries=False),
                   correction_form=HoursCorrectionForm())
    return render(request, "courses/person_history.html", context)


@login_required
@require_POST
def hours_correct(request, pk):
    _require_caseworker(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Corrected study hours"),
                                      path=request.path, action="edit")
    form = HoursCorrectionForm(request.POST)
    entry = None
    if form.is_valid():
        entry = StudyHoursEntry.objects.filter(pk=form.cleaned_data["entry"],
                                               supervisee=supervisee).first()
    if entry is None:
        messages.error(request, _("Give the change in hours and a reason; nothing was "
                                  "changed."))
    else:
        try:
            services.study_hours_correct(entry=entry, change=form.cleaned_data["change"],
                                         corrected_by=request.user,
                                         reason=form.cleaned_data["reason"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The correction is recorded."))
    return redirect("courses:person_history", pk=supervisee.pk)


@login_required
def assign(request):
    _require_caseworker(request.user)
    form = AssignForm(request.POST or None, user=request.user,
                      initial={"person": request.GET.get("person")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["target"] == "person":
            people = [data["person"]]
        else:
            people = selectors.group_members(request.user, unit=data["unit"],
                                             level=data["level"])
        course = selectors.course_for(data["course"].pk)
        try:
            result = services.enrolment_assign(course=course, supervisees=people,
                                               assigned_by=request.user,
                                               due_on=data["due_on"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _(
                "Assigned to %(n)s people. Already completed: %(done)s. Not offered to "
                "them (age group): %(unsuitable)s.") % {
                "n": len(result.assigned), "done": len(result.already_done),
                "unsuitable": len(result.not_suitable)})
            if data["target"] == "person":
                return redirect("courses:person_history", pk=data["person"].pk)
            return redirect("courses:assign")
    return render(request, "courses/assign.html", {"form": form})
