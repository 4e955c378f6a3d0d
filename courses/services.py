"""Writes for courses. Each function checks everything first and changes nothing when it
refuses: it raises ServiceError with a stable code (the API's "code") and a translated
message, and an HTTP status the API answers with."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.errors import ServiceError
from portal.notifications.services import notify

from .models import (
    Attendance,
    ClassSession,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    LessonTime,
    QuizAttempt,
    SessionSignup,
    StudyHoursEntry,
)

# How long around a class attendance may be recorded: from a little before it starts
# (people arrive early) to a week after (the organiser types up a paper list).
ATTENDANCE_OPENS_BEFORE = datetime.timedelta(hours=2)
ATTENDANCE_CLOSES_AFTER = datetime.timedelta(days=7)



MESSAGES = {
    "not_found": (gettext_lazy("That course or class is not available."), 404),
    "already_enrolled": (gettext_lazy("You are already enrolled in this course."), 409),
    "not_suitable": (gettext_lazy("This course is not offered to you."), 409),
    "not_enrolled": (gettext_lazy("Enrol in the course before taking its lessons."), 403),
    "invalid_answers": (gettext_lazy("Answer every question of the quiz."), 422),
    "session_cancelled": (gettext_lazy("This class has been cancelled."), 409),
    "deadline_passed": (gettext_lazy("Sign-up for this class has closed."), 409),
    "full": (gettext_lazy("This class is full."), 409),
    "already_signed_up": (gettext_lazy("You are already signed up for this class."), 409),
    "not_signed_up": (gettext_lazy("There is no sign-up for this class to cancel."), 409),
    "session_started": (gettext_lazy("The class has started; it can no longer be "
                                     "cancelled here. Please tell your caseworker."), 409),
    "person_not_signed_up": (gettext_lazy("This person is not signed up for this class; "
                                          "attendance was not recorded."), 409),
    "already_recorded": (gettext_lazy("Attendance was already recorded for this person."),
                         409),
    "attendance_closed": (gettext_lazy("Attendance can be recorded from two hours before "
                                       "the class until a week after it."), 409),
    "recorded_by_staff": (gettext_lazy("Attendance for this participant is recorded by "
                                       "corrections staff."), 403),
    "not_present": (gettext_lazy("This person is not recorded as present."), 409),
    "reason_required": (gettext_lazy("Say why the record is being corrected."), 422),
    "invalid_hours": (gettext_lazy("The correction would leave fewer than zero hours, or "
                                   "changes nothing."), 422),
    "capacity_below_signups": (gettext_lazy("More people are already signed up than the "
                                            "number of places you entered."), 422),
    "not_allowed": (gettext_lazy("You may not do this."), 403),
    "invalid_heartbeat": (gettext_lazy("The study-time report was not understood; nothing "
                                       "was recorded."), 422),
}

# The lesson page reports its visible time every BEAT_SECONDS; one report adds at most
# BEAT_MAX_SECONDS, and never more than the real time since the person's previous report.
BEAT_SECONDS = 15
BEAT_MAX_SECONDS = 60
MAX_CLAIM_SECONDS = 3600
MAX_VIDEO_SECONDS = 24 * 3600


def refuse(code: str):
    message, status = MESSAGES[code]
    raise ServiceError(code, message, status)


def _now():
    return timezone.now()


# --- Enrolment -------------------------------------------------------------------------------

def _live_course(course: CoursePage) -> CoursePage:
    if not course.live:
        refuse("not_found")
    return course


@transaction.atomic
def enrolment_create(*, supervisee, course: CoursePage) -> Enrolment:
    """The person enrols from the catalogue."""
    _live_course(course)
    if not course.suits(supervisee):
        refuse("not_suitable")
    if Enrolment.objects.filter(supervisee=supervisee, course=course).exists():
        refuse("already_enrolled")
    try:
        with transaction.atomic():
            return Enrolment.objects.create(supervisee=supervisee, course=course)
    except IntegrityError:  # a double click that won the race
        refuse("already_enrolled")


def _enrolment_ensure(*, supervisee, course) -> Enrolment:
    enrolment, _created = Enrolment.objects.get_or_create(supervisee=supervisee, course=course)
    return enrolment


@dataclass
class AssignResult:
    assigned: list = field(default_factory=list)
    already_done: list = field(default_factory=list)
    not_suitable: list = field(default_factory=list)


@transaction.atomic
def enrolment_assign(*, course: CoursePage, supervisees, assigned_by,
                     due_on: datetime.date | None = None) -> AssignResult:
    """A caseworker assigns a course to one person or a group. People who completed it
    already, or whom the course does not suit, are reported back, not enrolled."""
    _live_course(course)
    result = AssignResult()
    existing = {
        e.supervisee_id: e
        for e in Enrolment.objects.select_for_update().filter(
            course=course, supervisee__in=[s.pk for s in supervisees])
    }
    url = course.url or ""
    for supervisee in supervisees:
        if not course.suits(supervisee):
            result.not_suitable.append(supervisee)
            continue
        enrolment = existing.get(supervisee.pk)
        if enrolment is not None and enrolment.is_completed:
            result.already_done.append(supervisee)
            continue
        if enrolment is None:
            enrolment = Enrolment(supervisee=supervisee, course=course)
        enrolment.source = Enrolment.Source.ASSIGNED
        enrolment.assigned_by = assigned_by
        enrolment.due_on = due_on
        enrolment.save()
        result.assigned.append(supervisee)
        body = (_("Please complete it by %(date)s.") % {"date": due_on.isoformat()}
                if due_on else "")
        notify(recipient=supervisee.user, kind="course_assigned",
               title=_("Your caseworker assigned you a course: %(title)s")
               % {"title": course.title}, body=body, url=url)
    return result


def _lesson_ids(course: CoursePage) -> list[int]:
    return list(LessonPage.objects.child_of(course).live().values_list("pk", flat=True))


def enrolment_check_completion(enrolment: Enrolment) -> bool:
    """Complete when every live lesson is done, or a class of the course was attended.
    Completion through the lessons credits the course's study hours (once); a class
    credits its own hours when attendance is recorded."""
    if enrolment.is_completed:
        return False
    course = enrolment.course
    lesson_ids = _lesson_ids(course)
    via_lessons = bool(lesson_ids) and (
        LessonProgress.objects.filter(enrolment=enrolment, lesson_id__in=lesson_ids).count()
        >= len(lesson_ids)
    )
    via_class = not via_lessons and _attended_course(enrolment.supervisee_id, course)
    if not (via_lessons or via_class):
        return False
    now = _now()
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.COMPLETED,
                                                     completed_at=now)
    enrolment.status, enrolment.completed_at = Enrolment.Status.COMPLETED, now
    if via_lessons and course.study_hours > 0:
        StudyHoursEntry.objects.create(
            supervisee_id=enrolment.supervisee_id, kind=StudyHoursEntry.Kind.COMPLETION,
            hours=course.study_hours, credited_on=timezone.localdate(now), course=course,
            enrolment=enrolment,
        )
    return True


def _attended_course(supervisee_id, course) -> bool:
    latest = {}
    for row in Attendance.objects.filter(supervisee_id=supervisee_id, session__course=course):
        latest[row.session_id] = row.status
    return Attendance.Status.PRESENT in latest.values()


# --- Lessons and quizzes ---------------------------------------------------------------------

def _lesson_and_enrolment(supervisee, lesson: LessonPage, *, lock: bool):
    """The lesson's live course and the person's enrolment in it (locked for the rest of
    the transaction when `lock`); refuses an unpublished lesson or course, and a person
    not enrolled."""
    if not lesson.live:
        refuse("not_found")
    course = lesson.get_parent().specific
    if not isinstance(course, CoursePage) or not course.live:
        refuse("not_found")
    qs = Enrolment.objects.select_related("course").filter(supervisee=supervisee,
                                                            course=course)
    enrolment = (qs.select_for_update(of=("self",)) if lock else qs).first()
    if enrolment is None:
        refuse("not_enrolled")
    return course, enrolment


def lesson_required_seconds(lesson: LessonPage, course: CoursePage | None = None) -> int:
    course = course or lesson.get_parent().specific
    return lesson.required_seconds(course_hours=course.study_hours,
                                   lesson_count=len(_lesson_ids(course)))


def minutes_left(seconds: int) -> int:
    """Remaining seconds as the whole minutes a person is told ("about N minutes")."""
    return max(1, math.ceil(seconds / 60)) if seconds > 0 else 0


@dataclass
class StudyTime:
    seconds: int
    required: int
    done: bool = False
    video_seconds: int | None = None
    scroll_percent: int | None = None

    @property
    def remaining(self) -> int:
        return max(self.required - self.seconds, 0)

    @property
    def counts(self) -> bool:
        """Enough time spent for the lesson to count."""
        return self.remaining == 0

    @property
    def remaining_minutes(self) -> int:
        return minutes_left(self.remaining)

    @property
    def required_minutes(self) -> int:
        return minutes_left(self.required)


def _whole(value, *, low: int, high: int) -> int | None:
    """A whole number within [low, high], or None for anything else (bools included)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value or not low <= value <= high:  # NaN, or out of range
        return None
    return int(value)


@transaction.atomic
def lesson_heartbeat(*, supervisee, lesson: LessonPage, seconds, video_seconds=None,
                     scroll_percent=None) -> StudyTime:
    """The lesson page reports `seconds` of visible time since its previous report (0 when
    it opens or becomes visible again) and where the person is in it. The server adds
    at most the real time since the person's latest report on any lesson (so two tabs,
    or one large number, add no more than the clock) and at most BEAT_MAX_SECONDS."""
    claimed = _whole(seconds, low=0, high=MAX_CLAIM_SECONDS)
    video = (None if video_seconds is None
             else _whole(video_seconds, low=0, high=MAX_VIDEO_SECONDS))
    scroll = None if scroll_percent is None else _whole(scroll_percent, low=0, high=100)
    if claimed is None or (video_seconds is not None and video is None) or (
            scroll_percent is not None and scroll is None):
        refuse("invalid_heartbeat")
    course, enrolment = _lesson_and_enrolment(supervisee, lesson, lock=False)
    now = _now()
    # The person's rows, locked: concurrent reports queue here, so each sees the latest.
    rows = list(LessonTime.objects.select_for_update(of=("self",))
                .filter(enrolment__supervisee=supervisee).order_by("pk"))
    beats = [r.last_beat_at for r in rows if r.last_beat_at is not None]
    elapsed = (now - max(beats)).total_seconds() if beats else 0
    credit = max(0, min(claimed, int(elapsed), BEAT_MAX_SECONDS))
    row = next((r for r in rows if r.enrolment_id == enrolment.pk and r.lesson_id == lesson.pk),
               None)
    if row is None:
        try:
            with transaction.atomic():
                row = LessonTime.objects.create(enrolment=enrolment, lesson=lesson,
                                                first_seen_at=now, last_seen_at=now)
        except IntegrityError:  # the page's first two reports crossed
            row = LessonTime.objects.select_for_update().get(enrolment=enrolment,
                                                             lesson=lesson)
            credit = 0
    row.seconds += credit
    row.last_beat_at = row.last_seen_at = now
    if video is not None:
        row.video_seconds = video
    if scroll is not None:
        row.scroll_percent = scroll
    row.save()
    done = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).exists()
    return StudyTime(seconds=row.seconds, required=lesson_required_seconds(lesson, course),
                     done=done, video_seconds=row.video_seconds,
                     scroll_percent=row.scroll_percent)


@dataclass
class LessonResult:
    completed: bool
    score: int | None = None
    passed: bool | None = None
    course_completed: bool = False
    feedback: dict = field(default_factory=dict)  # question id -> was the answer right


def quiz_questions(lesson: LessonPage) -> list[dict]:
    """The quiz as plain data: id (stable block id), text, choices, correct indexes."""
    questions = []
    for block in lesson.quiz:
        if block.block_type != "question":
            continue
        choices = list(block.value["choices"])
        questions.append({
            "id": str(block.id),
            "text": block.value["question"],
            "choices": [c["text"] for c in choices],
            "correct": {i for i, c in enumerate(choices) if c["correct"]},
            "explanation": block.value.get("explanation") or "",
        })
    return questions


def _normalise_answers(questions, answers) -> dict[str, set[int]] | None:
    if not isinstance(answers, dict):
        return None
    result = {}
    for question in questions:
        raw = answers.get(question["id"])
        if raw is None or raw == [] or raw == "":
            return None
        values = raw if isinstance(raw, list | tuple) else [raw]
        picked = set()
        for value in values:
            try:
                index = int(value)
            except (TypeError, ValueError):
                return None
            if not 0 <= index < len(question["choices"]):
                return None
            picked.add(index)
        result[question["id"]] = picked
    return result


@transaction.atomic
def lesson_complete(*, supervisee, lesson: LessonPage, answers: dict | None = None
                    ) -> LessonResult:
    """Mark a lesson done. A lesson with a quiz is done once the quiz is passed; one
    without, once the person has spent its minimum time on the page (heartbeats):
    before that it is refused and nothing changes."""
    course, enrolment = _lesson_and_enrolment(supervisee, lesson, lock=True)
    result = LessonResult(completed=False)
    questions = quiz_questions(lesson)
    if not questions and not LessonProgress.objects.filter(
            enrolment=enrolment, lesson=lesson).exists():
        spent = (LessonTime.objects.filter(enrolment=enrolment, lesson=lesson)
                 .values_list("seconds", flat=True).first() or 0)
        time = StudyTime(seconds=spent, required=lesson_required_seconds(lesson, course))
        if not time.counts:
            raise ServiceError(
                "more_time_needed",
                ngettext("Study this lesson about %(n)s more minute before it counts.",
                         "Study this lesson about %(n)s more minutes before it counts.",
                         time.remaining_minutes) % {"n": time.remaining_minutes}, 409)
    if questions:
        picked = _normalise_answers(questions, answers)
        if picked is None:
            refuse("invalid_answers")
        right = {q["id"]: picked[q["id"]] == q["correct"] for q in questions}
        score = round(100 * sum(right.values()) / len(questions))
        passed = score >= lesson.pass_mark
        QuizAttempt.objects.create(
            enrolment=enrolment, lesson=lesson, score=score, passed=passed,
            answers={k: sorted(v) for k, v in picked.items()},
        )
        result.score, result.passed, result.feedback = score, passed, right
        if not passed:
            return result
    progress, created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"quiz_score": result.score})
    result.completed = True
    if created:
        result.course_completed = enrolment_check_completion(enrolment)
    return result


# --- Sessions and sign-ups -------------------------------------------------------------------

def _locked_session(session_id) -> ClassSession:
    """The class row, locked for the rest of the transaction: sign-ups for one class
    queue here, so the count of places cannot be overtaken (PostgreSQL row lock;
    SQLite serialises writers with BEGIN IMMEDIATE)."""
    try:
        return (
            ClassSession.objects.select_for_update(of=("self",))
            .select_related("course").get(pk=session_id)
        )
    except (ClassSession.DoesNotExist, ValueError, TypeError):
        refuse("not_found")


@transaction.atomic
def session_signup(*, session_id, supervisee) -> SessionSignup:
    session = _locked_session(session_id)
    course = session.course
    if not course.live:
        refuse("not_found")
    if session.is_cancelled:
        refuse("session_cancelled")
    if _now() >= session.closes_at:
        refuse("deadline_passed")
    if not course.suits(supervisee):
        refuse("not_suitable")
    live = SessionSignup.objects.filter(session=session, status=SessionSignup.Status.CONFIRMED)
    if live.filter(supervisee=supervisee).exists():
        refuse("already_signed_up")
    if live.count() >= session.capacity:
        refuse("full")
    signup = SessionSignup.objects.create(session=session, supervisee=supervisee)
    _enrolment_ensure(supervisee=supervisee, course=course)
    return signup


@transaction.atomic
def session_signup_cancel(*, session_id, supervisee, cancelled_by) -> SessionSignup:
    session = _locked_session(session_id)
    signup = SessionSignup.objects.filter(
        session=session, supervisee=supervisee, status=SessionSignup.Status.CONFIRMED).first()
    if signup is None:
        refuse("not_signed_up")
    if _now() >= session.starts_at:
        refuse("session_started")
    SessionSignup.objects.filter(pk=signup.pk).update(
        status=SessionSignup.Status.CANCELLED, cancelled_at=_now(), cancelled_by=cancelled_by)
    signup.refresh_from_db()
    return signup


# Changing any of these tells calendar apps the event moved (SEQUENCE goes up).
_CALENDAR_FIELDS = ("starts_at", "ends_at", "venue", "address", "online_url", "status")


@transaction.atomic
def session_save(*, by, session: ClassSession | None = None, **fields) -> ClassSession:
    """Create a class (session=None) or change one. The caller has checked that `by`
    organises the course (courses.selectors.courses_organised_by)."""
    creating = session is None
    if creating:
        session = ClassSession(created_by=by)
    else:
        session = _locked_session(session.pk)
    before = {name: getattr(session, name) for name in _CALENDAR_FIELDS}
    for name, value in fields.items():
        setattr(session, name, value)
    if session.study_hours is None:
        session.study_hours = session.course.study_hours
    session.full_clean()
    if not creating:
        taken = session.signups.filter(status=SessionSignup.Status.CONFIRMED).count()
        if session.capacity < taken:
            refuse("capacity_below_signups")
        moved = any(getattr(session, n) != before[n] for n in _CALENDAR_FIELDS)
        if moved:
            session.sequence += 1
    session.save()
    if not creating and moved:
        _tell_signed_up(session, kind="session_changed",
                        title=_("A class you signed up for has changed: %(title)s")
                        % {"title": session.course.title})
    return session


@transaction.atomic
def session_cancel(*, session: ClassSession, by, reason: str = "") -> ClassSession:
    session = _locked_session(session.pk)
    if session.is_cancelled:
        refuse("session_cancelled")
    session.status = ClassSession.Status.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    _tell_signed_up(session, kind="session_cancelled",
                    title=_("A class you signed up for was cancelled: %(title)s")
                    % {"title": session.course.title}, body=reason)
    return session


def _tell_signed_up(session, *, kind, title, body=""):
    signups = session.signups.filter(status=SessionSignup.Status.CONFIRMED).select_related(
        "supervisee__user")
    url = reverse("courses:mine")
    for signup in signups:
        notify(recipient=signup.supervisee.user, kind=kind, title=title, body=body, url=url)


# --- Attendance ------------------------------------------------------------------------------

def attendance_current(session, supervisee) -> Attendance | None:
    return (
        Attendance.objects.filter(session=session, supervisee=supervisee)
        .order_by("-recorded_at", "-pk").first()
    )


@transaction.atomic
def attendance_record(*, session: ClassSession, supervisee, recorded_by,
                      method: str) -> Attendance:
    """Record the person present at the class, credit the class's hours, and complete the
    course where attending completes it."""
    from .selectors import may_record_attendance

    session = _locked_session(session.pk)
    if not may_record_attendance(recorded_by, session, supervisee):
        refuse("recorded_by_staff")
    if session.is_cancelled:
        refuse("session_cancelled")
    now = _now()
    if not (session.starts_at - ATTENDANCE_OPENS_BEFORE <= now
            <= session.ends_at + ATTENDANCE_CLOSES_AFTER):
        refuse("attendance_closed")
    if not SessionSignup.objects.filter(session=session, supervisee=supervisee,
                                        status=SessionSignup.Status.CONFIRMED).exists():
        refuse("person_not_signed_up")
    current = attendance_current(session, supervisee)
    if current is not None and current.status == Attendance.Status.PRESENT:
        refuse("already_recorded")
    attendance = Attendance.objects.create(
        session=session, supervisee=supervisee, status=Attendance.Status.PRESENT,
        method=method, recorded_by=recorded_by, recorded_at=now,
        corrects=current,
        reason=_("Recorded present again after a correction") if current else "",
    )
    if session.study_hours > 0:
        StudyHoursEntry.objects.create(
            supervisee=supervisee, kind=StudyHoursEntry.Kind.ATTENDANCE,
            hours=session.study_hours, credited_on=timezone.localdate(session.starts_at),
            course=session.course, attendance=attendance, recorded_by=recorded_by,
        )
    enrolment = _enrolment_ensure(supervisee=supervisee, course=session.course)
    enrolment_check_completion(enrolment)
    return attendance


@transaction.atomic
def attendance_withdraw(*, session: ClassSession, supervisee, corrected_by,
                        reason: str) -> Attendance:
    """Put right a wrong "present": a new row pointing at it, and the hours it credited
    taken back by a correcting ledger entry. Nothing is edited or deleted."""
    from .selectors import may_record_attendance

    reason = (reason or "").strip()
    session = _locked_session(session.pk)
    if not may_record_attendance(corrected_by, session, supervisee):
        refuse("recorded_by_staff")
    if not reason:
        refuse("reason_required")
    current = attendance_current(session, supervisee)
    if current is None or current.status != Attendance.Status.PRESENT:
        refuse("not_present")
    withdrawal = Attendance.objects.create(
        session=session, supervisee=supervisee, status=Attendance.Status.WITHDRAWN,
        method=Attendance.Method.CORRECTION, recorded_by=corrected_by, corrects=current,
        reason=reason[:200],
    )
    credit = StudyHoursEntry.objects.filter(attendance=current,
                                            kind=StudyHoursEntry.Kind.ATTENDANCE).first()
    if credit is not None:
        remaining = _entry_balance(credit)
        if remaining > 0:
            StudyHoursEntry.objects.create(
                supervisee=supervisee, kind=StudyHoursEntry.Kind.CORRECTION, hours=-remaining,
                credited_on=credit.credited_on, course=credit.course, corrects=credit,
                reason=reason[:200], recorded_by=corrected_by,
            )
    return withdrawal


# --- Study hours -----------------------------------------------------------------------------

def _entry_balance(entry: StudyHoursEntry) -> Decimal:
    corrections = entry.corrections.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    return entry.hours + corrections


@transaction.atomic
def study_hours_correct(*, entry: StudyHoursEntry, change: Decimal, corrected_by,
                        reason: str) -> StudyHoursEntry:
    """Add or take back hours on a credited entry, with who and why."""
    reason = (reason or "").strip()
    if not reason:
        refuse("reason_required")
    if entry.kind == StudyHoursEntry.Kind.CORRECTION:
        entry = entry.corrects  # corrections always point at the original credit
    change = Decimal(change).quantize(Decimal("0.1"))
    if change == 0 or _entry_balance(entry) + change < 0:
        refuse("invalid_hours")
    return StudyHoursEntry.objects.create(
        supervisee_id=entry.supervisee_id, kind=StudyHoursEntry.Kind.CORRECTION, hours=change,
        credited_on=entry.credited_on, course=entry.course, corrects=entry,
        reason=reason[:200], recorded_by=corrected_by,
    )



# --- Partner course editors ---------------------------------------------------------------------

PARTNER_PAGE_PERMISSIONS = ("add_page", "change_page")  # publishing stays with moderators
PARTNER_MEDIA_PERMISSIONS = (
    ("wagtailimages", "image", ("add", "change", "choose")),
    ("wagtaildocs", "document", ("add", "change", "choose")),
)


def partner_course_editors_group_name(organisation) -> str:
    return f"{organisation.name} · 课程编辑"


@transaction.atomic
def partner_course_editors_setup(*, organisation):
    """Give a partner organisation its own part of the catalogue: a folder page under the
    course index, an image and document collection, and a group whose members may add
    and edit courses in that folder only (Wagtail page permissions on the folder; their
    drafts go to the moderators for publishing, since the hours a course credits are
    official). Idempotent; returns (group, folder)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    from .models import CourseIndexPage, CourseProviderPage

    index = CourseIndexPage.objects.first()
    if index is None:
        raise ValueError("There is no course catalogue page yet.")
    folder = CourseProviderPage.objects.filter(organisation=organisation).first()
    if folder is None:
        folder = index.add_child(instance=CourseProviderPage(
            title=organisation.name, slug=f"partner-{organisation.pk}",
            organisation=organisation,
            intro=_("Courses run by %(name)s") % {"name": organisation.name}))
    group, _created = Group.objects.get_or_create(
        name=partner_course_editors_group_name(organisation))
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin",
                                                 codename="access_admin"))
    for codename in PARTNER_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore",
                                            codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=folder,
                                                  permission=permission)
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=organisation.name).first()
    if collection is None:
        collection = root.add_child(name=organisation.name)
    for app_label, model, actions in PARTNER_MEDIA_PERMISSIONS:
        content_type = ContentType.objects.get(app_label=app_label, model=model)
        for action in actions:
            permission = Permission.objects.get(content_type=content_type,
                                                codename=f"{action}_{model}")
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission)
    return group, folder


@transaction.atomic
def partner_course_editor_add(*, organisation, user):
    """Let one of the organisation's staff edit its courses."""
    from portal.organisations.models import Membership

    if not Membership.objects.filter(user=user, organisation=organisation,
                                     role__in=Membership.PARTNER_ROLES).exists():
        raise ValueError("Only the organisation's own staff can edit its courses.")
    group, _folder = partner_course_editors_setup(organisation=organisation)
    user.groups.add(group)
    return group
