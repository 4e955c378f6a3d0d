"""Courses: what people learn (Wagtail pages) and what happens when they learn it
(plain models: sessions, sign-ups, enrolments, progress, attendance, study hours).

Page tree:

    HomePage
      └─ CourseIndexPage               the catalogue (/courses/)
           ├─ CoursePage               a course run by a unit
           │    └─ LessonPage …        its online lessons, in tree order
           └─ CourseProviderPage       one folder per partner organisation; the
                └─ CoursePage …        organisation's editors get page permissions here

Lessons are child pages rather than inline orderables: a learner's progress points at a
lesson, and page ids never change across revisions, whereas inline rows are rewritten
from the revision on every publish (removing one in an edit would silently take the
progress with it). Child pages also give each lesson its own address, draft, preview,
schedule and the subtree permissions of its course.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.appendonly import AppendOnlyError, AppendOnlyModel  # noqa: F401 (re-exported)
from portal.pagecache import PublicPageMixin

from .blocks import LessonBodyBlock, QuizBlock

HOURS = {"max_digits": 5, "decimal_places": 1}


class Audience(models.TextChoices):
    ALL = "all", _("Adults and juveniles")
    ADULTS = "adults", _("Adults only")
    JUVENILES = "juveniles", _("Juveniles only")


class CourseFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    BLENDED = "blended", _("Online and in person")


class CourseCategory(models.Model):
    """Legal education, traditional culture, mental health… Editors keep the list."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True, allow_unicode=False)
    description = models.CharField(_("description"), max_length=250, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"),
              FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("course category")
        verbose_name_plural = _("course categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


# --- Pages ---------------------------------------------------------------------------------

class CourseIndexPage(PublicPageMixin, Page):
    intro = models.CharField(_("intro"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.CourseProviderPage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, within=self))
        return context


class CourseProviderPage(PublicPageMixin, Page):
    """A partner organisation's part of the catalogue. Its editors' group holds page
    permissions on this page only, so they edit their own courses and nobody else's."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="course_folder",
        verbose_name=_("organisation"),
    )
    intro = models.CharField(_("intro"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("organisation"), FieldPanel("intro")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("partner's courses")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, within=self))
        return context

    def get_template(self, request, *args, **kwargs):
        return "courses/course_index_page.html"


class CoursePageForm(WagtailAdminPageForm):
    """Under a partner's folder the provider is the folder's organisation; elsewhere the
    editor names exactly one provider."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        folder = self._folder()
        if folder is not None:
            for name in ("provider_unit", "provider_organisation"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].required = False
                    self.fields[name].help_text = _(
                        "Set by the partner's folder this course is in.")
            if "provider_organisation" in self.fields:
                self.initial["provider_organisation"] = folder.organisation_id
                self.initial["provider_unit"] = None

    def _folder(self):
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        if parent is None:
            return None
        parent = parent.specific
        return parent if isinstance(parent, CourseProviderPage) else None

    def clean(self):
        cleaned = super().clean()
        folder = self._folder()
        if folder is not None:
            cleaned["provider_unit"] = None
            cleaned["provider_organisation"] = folder.organisation
        # Neither or both named: CoursePage.clean() says so, once, beside the unit field.
        return cleaned


class CoursePage(PublicPageMixin, Page):
    category = models.ForeignKey(CourseCategory, on_delete=models.PROTECT,
                                 related_name="courses", verbose_name=_("category"))
    summary = models.CharField(_("summary"), max_length=250,
                               help_text=_("One or two sentences for the catalogue."))
    description = RichTextField(_("description"), blank=True,
                                features=["bold", "italic", "ol", "ul", "link", "h3"])
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("image"))
    format = models.CharField(_("format"), max_length=20, choices=CourseFormat.choices,
                              default=CourseFormat.ONLINE)
    audience = models.CharField(_("suits"), max_length=20, choices=Audience.choices,
                                default=Audience.ALL)
    study_hours = models.DecimalField(
        _("study hours"), **HOURS, default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Credited when the person completes the online lessons. "
                    "Attending a class credits that class's own hours."),
    )
    provider_unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="courses", verbose_name=_("provided by unit"),
    )
    provider_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="courses", verbose_name=_("provided by partner"),
    )

    base_form_class = CoursePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("category"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("image"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("format"), FieldPanel("audience"),
                           FieldPanel("study_hours")]),
            FieldRowPanel([FieldPanel("provider_unit"), FieldPanel("provider_organisation")]),
        ], heading=_("Who and how")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("format"),
        index.FilterField("audience"),
        index.FilterField("category"),
    ]
    parent_page_types = ["courses.CourseIndexPage", "courses.CourseProviderPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.path else None
        if parent is not None and isinstance(parent.specific, CourseProviderPage):
            self.provider_unit = None
            self.provider_organisation_id = parent.specific.organisation_id
        if bool(self.provider_unit_id) == bool(self.provider_organisation_id):
            raise ValidationError(
                {"provider_unit": _("Name either a unit or a partner organisation.")})

    @property
    def provider(self):
        return self.provider_organisation or self.provider_unit

    def suits(self, supervisee) -> bool:
        if self.audience == Audience.ALL:
            return True
        return (self.audience == Audience.JUVENILES) == bool(supervisee.is_juvenile)

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(request, self))
        return context


class LessonPage(PublicPageMixin, Page):
    summary = models.CharField(_("summary"), max_length=250, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=20)
    min_minutes = models.DecimalField(
        _("minimum study time (minutes)"), max_digits=5, decimal_places=1, null=True,
        blank=True, validators=[MinValueValidator(Decimal("0")),
                                MaxValueValidator(Decimal("600"))],
        help_text=_("How long a person must spend on this lesson's page before it counts "
                    "(passing its quiz counts too). Empty: the course's study hours shared "
                    "equally among its lessons."),
    )
    body = StreamField(LessonBodyBlock(), blank=True, verbose_name=_("lesson"))
    quiz = StreamField(QuizBlock(), blank=True, verbose_name=_("quiz"),
                       help_text=_("Optional. The lesson counts as done once the quiz is "
                                   "passed."))
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("minutes"), FieldPanel("min_minutes")]),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("quiz"), FieldPanel("pass_mark")], heading=_("Quiz")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"),
                     index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def has_quiz(self) -> bool:
        return len(self.quiz) > 0

    def required_seconds(self, *, course_hours: Decimal, lesson_count: int) -> int:
        """The visible time on the page after which the lesson counts: its own minimum,
        or else the course's declared hours shared equally among its live lessons (so
        doing every lesson takes at least the hours the course credits)."""
        if self.min_minutes is not None:
            return math.ceil(self.min_minutes * 60)
        if lesson_count <= 0:
            return 0
        return math.ceil(Decimal(course_hours) * 3600 / lesson_count)

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_page_context(request, self))
        return context


# --- Sessions and sign-ups -------------------------------------------------------------------

class ClassSession(models.Model):
    """An in-person (or live online) class of a course (专场教育)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="sessions",
                               verbose_name=_("course"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True,
                                 help_text=_("For a class held online; shown to those "
                                             "signed up."))
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    signup_deadline = models.DateTimeField(_("sign-up closes"), null=True, blank=True,
                                           help_text=_("Empty: when the class starts."))
    study_hours = models.DecimalField(_("study hours"), **HOURS,
                                      validators=[MinValueValidator(Decimal("0"))])
    notes = models.TextField(_("notes for participants"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.SCHEDULED)
    # Calendar clients accept an update only when SEQUENCE grows (RFC 5545 3.8.7.4).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["course", "starts_at"]),
                   models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="classsession_ends_after_start"),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.course.title} · {local:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The class must end after it starts.")})
        if self.signup_deadline and self.starts_at and self.signup_deadline > self.starts_at:
            raise ValidationError(
                {"signup_deadline": _("Sign-up must close before the class starts.")})

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue

    @property
    def closes_at(self):
        return self.signup_deadline or self.starts_at

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.is_cancelled and now < self.closes_at


class SessionSignup(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Signed up")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(ClassSession, on_delete=models.PROTECT,
                                related_name="signups", verbose_name=_("class"))
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="session_signups", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.CONFIRMED)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("class sign-up")
        verbose_name_plural = _("class sign-ups")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["supervisee", "status"]),
                   models.Index(fields=["session", "status"])]
        constraints = [
            # The database, not only the code, refuses a second live sign-up.
            models.UniqueConstraint(fields=["session", "supervisee"],
                                    condition=Q(status="confirmed"),
                                    name="sessionsignup_one_live_per_person"),
        ]

    def __str__(self):
        return f"{self.session_id} · {self.supervisee_id} · {self.status}"


# --- Enrolment and progress -----------------------------------------------------------------

class Enrolment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Chosen by the person")
        ASSIGNED = "assigned", _("Assigned by the caseworker")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")

    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="enrolments", verbose_name=_("person"))
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="enrolments",
                               verbose_name=_("course"))
    source = models.CharField(_("how"), max_length=20, choices=Source.choices,
                              default=Source.SELF)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("assigned by"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.ACTIVE)
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at", "-pk"]
        indexes = [models.Index(fields=["supervisee", "status"]),
                   models.Index(fields=["course", "status"]),
                   # The unit dashboard counts a unit's completions by month: one probe
                   # per person, answered from this index alone (no table row read).
                   models.Index(fields=["supervisee", "completed_at"], include=["id"],
                                condition=models.Q(status="completed"),
                                name="enrolment_completions")]
        constraints = [
            models.UniqueConstraint(fields=["supervisee", "course"],
                                    name="enrolment_once_per_course"),
        ]

    def __str__(self):
        return f"{self.supervisee_id} · {self.course_id} · {self.status}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)
    quiz_score = models.PositiveSmallIntegerField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lessonprogress_once"),
        ]

    def __str__(self):
        return f"{self.enrolment_id} · {self.lesson_id}"


class LessonTime(models.Model):
    """How long a person has had a lesson's page open and visible, added up from the
    page's heartbeats (courses.services.lesson_heartbeat), and where they stopped in it
    (for "continue learning"). One row per enrolment and lesson."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT,
                                  related_name="lesson_times")
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="+")
    seconds = models.PositiveIntegerField(_("seconds studied"), default=0)
    # The last heartbeat's server time: the next one is trusted for at most the real
    # time since the person's latest heartbeat on any lesson.
    last_beat_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    video_seconds = models.PositiveIntegerField(_("position in the video (seconds)"),
                                                null=True, blank=True)
    scroll_percent = models.PositiveSmallIntegerField(_("position on the page (%)"),
                                                      null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("lesson study time")
        verbose_name_plural = _("lesson study time")
        indexes = [models.Index(fields=["enrolment", "last_seen_at"])]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lessontime_once"),
        ]

    def __str__(self):
        return f"{self.enrolment_id} · {self.lesson_id} · {self.seconds}s"


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT,
                                  related_name="quiz_attempts")
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.enrolment_id} · {self.lesson_id} · {self.score}%"


# --- Append-only records --------------------------------------------------------------------

class Attendance(AppendOnlyModel):
    """Who was at a class. A mistake is put right by a new row that points at the row it
    corrects (with who and why); the latest row per person and class is in force."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        WITHDRAWN = "withdrawn", _("Withdrawn (correction)")

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        MANUAL = "manual", _("Manual list")
        CORRECTION = "correction", _("Correction")

    session = models.ForeignKey(ClassSession, on_delete=models.PROTECT,
                                related_name="attendance", verbose_name=_("class"))
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="class_attendance", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PRESENT)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name=_("corrects"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["session", "supervisee", "recorded_at"]),
                   models.Index(fields=["supervisee", "recorded_at"])]
        constraints = [
            # One first-hand "present" per person and class; later rows are corrections.
            models.UniqueConstraint(fields=["session", "supervisee"],
                                    condition=Q(corrects__isnull=True),
                                    name="attendance_one_original"),
            models.CheckConstraint(condition=Q(corrects__isnull=True) | ~Q(reason=""),
                                   name="attendance_correction_has_reason"),
        ]

    def __str__(self):
        return f"{self.session_id} · {self.supervisee_id} · {self.status}"


class StudyHoursEntry(AppendOnlyModel):
    """The study-hours ledger. A person's hours for a month are the sum of the entries
    credited in that month; a correction is a new entry (often negative) that points at
    the entry it corrects, with who and why."""

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Course completed")
        ATTENDANCE = "attendance", _("Class attended")
        CORRECTION = "correction", _("Correction")

    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="study_hours", verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    hours = models.DecimalField(_("hours"), **HOURS)
    credited_on = models.DateField(_("counts for"), db_index=True)
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("course"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="hours_entries")
    attendance = models.ForeignKey(Attendance, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="hours_entries")
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name=_("corrects"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("study-hours entry")
        verbose_name_plural = _("study-hours ledger")
        ordering = ["credited_on", "created_at", "pk"]
        indexes = [models.Index(fields=["supervisee", "credited_on"])]
        constraints = [
            # Crediting twice for the same completion or attendance is impossible.
            models.UniqueConstraint(fields=["enrolment"], condition=Q(kind="completion"),
                                    name="studyhours_one_completion_credit"),
            models.UniqueConstraint(fields=["attendance"], condition=Q(kind="attendance"),
                                    name="studyhours_one_attendance_credit"),
            models.CheckConstraint(
                condition=~Q(kind="correction") | (Q(corrects__isnull=False) & ~Q(reason="")
                                                   & Q(recorded_by__isnull=False)),
                name="studyhours_correction_explained",
            ),
        ]

    def __str__(self):
        return f"{self.credited_on} · {self.get_kind_display()} · {self.hours}"


class CatalogueVersion(models.Model):
    """One row whose token changes whenever what the catalogue shows changes (a course,
    lesson, class, category or provider is saved or removed): the catalogue version that
    cached catalogue parts are keyed on (courses/cache.py)."""

    token = models.CharField(max_length=32, default="initial")
    changed_at = models.DateTimeField(auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("catalogue version")

    def __str__(self):
        return self.token
