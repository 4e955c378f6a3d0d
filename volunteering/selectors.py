"""Reads for service and volunteering. Each takes the acting user (or the person) and builds
on portal.access, which decides who may see what:

- A person (a supervisee record, in correction or released) is offered published
  activities they may join: not an adults-only activity for a juvenile, not a venue type or
  a district their active prohibition order names, public-welfare activities only while in
  correction and only from their own unit or a unit above it; while in correction, not an
  activity outside their county unless a travel approval to its district covers its dates
  (portal.people.selectors.area_q, the rule job matching applies too).
- Organisers are the staff of the organising partner (NGO or volunteer team) and the staff
  of the organising unit and the units above it. They see participants by display name
  only (portal.access.display_name_for_partner), never correction status.
- Juveniles join only activities marked suitable for juveniles, and only units may mark an
  activity so (services.activity_save): a partner never has a juvenile participant.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import (
    Aggregate,
    BooleanField,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from portal.access import Role, actor_for, supervisees_visible_to
from portal.neutral import neutral_text
from portal.organisations.models import Organisation, Unit
from portal.people.models import Consent, ProhibitionOrder, Supervisee, TravelApproval
from portal.people.selectors import area_county, area_q_of, area_terms

from .models import (
    Activity,
    Certificate,
    CertificateLine,
    HoursCorrectionRequest,
    HoursEntry,
    ServiceKind,
    ServiceSettings,
    Signup,
    UnconfirmedHours,
    VolunteerProfile,
)

ORGANISER_KINDS = (Organisation.Kind.NGO, Organisation.Kind.VOLUNTEER_TEAM)
ZERO = Decimal("0")


def _subtree(units, prefix: str) -> Q:
    if not units:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{prefix}path__startswith": u.path}) for u in units))


def service_settings() -> ServiceSettings:
    return ServiceSettings.load()


# --- Who organises -----------------------------------------------------------------------

def organiser_bodies(user) -> tuple[list[Organisation], list[Unit]]:
    """The partners and units in whose name this user may post activities."""
    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return (list(Organisation.objects.filter(kind__in=ORGANISER_KINDS, is_active=True)),
                list(Unit.objects.order_by("path")))
    organisations = [o for o in actor.organisations if o.kind in ORGANISER_KINDS]
    units = list(actor.units) if actor.has(Role.CASEWORKER, Role.UNIT_ADMIN) else []
    return organisations, units


def can_organise(user) -> bool:
    organisations, units = organiser_bodies(user)
    return bool(organisations or units)


def activities_managed_by(user) -> QuerySet:
    """Activities whose sign-ups, attendance and hours this user manages."""
    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return Activity.objects.all()
    if actor.user is None or not actor.user.is_authenticated:
        return Activity.objects.none()
    q = _subtree(actor.units, "unit__")
    if actor.organisations:
        q |= Q(organisation_id__in=actor.organisation_ids)
    return Activity.objects.filter(q)


def _with_related(qs: QuerySet) -> QuerySet:
    return qs.select_related("theme", "district", "organisation", "unit", "venue_type")


def activity_for_organiser(user, pk, *, related=None) -> Activity:
    """One activity the user manages (as activities_managed_by), or 404 so that existence
    does not leak. `related`: the relations a page reads with it, when fewer than
    _with_related's."""
    actor = actor_for(user)
    if actor.user is None or not actor.user.is_authenticated:
        raise Http404
    qs = activities_managed_by(user)
    qs = qs.select_related(*related) if related is not None else _with_related(qs)
    try:
        return qs.get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_manage_activity(user, activity: Activity) -> bool:
    return activities_managed_by(user).filter(pk=activity.pk).exists()


# --- What a person is offered ------------------------------------------------------------

def _unit_lineage_paths(unit: Unit) -> list[str]:
    return [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]


@dataclass(frozen=True)
class OfferTerms:
    """What the offer rule needs to know of a person on a day, as plain values."""

    closed: bool
    juvenile: bool
    venue_types: tuple[int, ...]  # of active prohibition orders
    districts: tuple[int, ...]  # of active prohibition orders
    public_welfare_paths: tuple[str, ...] | None  # units whose public welfare is offered
    area: tuple | None  # portal.people.selectors.area_terms

    @classmethod
    def of(cls, supervisee: Supervisee, today: datetime.date) -> OfferTerms:
        if supervisee.status == Supervisee.Status.CLOSED:
            return cls(True, False, (), (), None, None)
        prohibitions = supervisee.active_prohibitions(today)
        in_correction = supervisee.status == Supervisee.Status.IN_CORRECTION
        return cls(
            closed=False, juvenile=bool(supervisee.is_juvenile),
            venue_types=tuple(sorted({p.venue_type_id for p in prohibitions
                                      if p.venue_type_id})),
            districts=tuple(sorted({p.district_id for p in prohibitions if p.district_id})),
            # Public-welfare activity is the corrections body's own (Art. 42): for people in
            # correction, run by their unit or a unit above it.
            public_welfare_paths=(tuple(_unit_lineage_paths(supervisee.unit))
                                  if in_correction else None),
            area=area_terms(supervisee))


def offer_q_of(terms: OfferTerms) -> Q:
    if terms.closed:
        return Q(pk__in=[])
    q = Q()
    if terms.juvenile:
        q &= Q(suitable_for_juveniles=True)
    if terms.venue_types:
        q &= ~Q(venue_type_id__in=terms.venue_types)
    if terms.districts:
        q &= ~Q(district_id__in=terms.districts)
    public_welfare = Q(kind=ServiceKind.PUBLIC_WELFARE)
    if terms.public_welfare_paths is not None:
        # The units by their tree paths, in a subquery: no join, no statement of its own.
        lineage = Unit.objects.filter(path__in=terms.public_welfare_paths).values("pk")
        q &= ~public_welfare | Q(unit_id__in=lineage)
    else:
        q &= ~public_welfare
    # Outside the person's county only where and when a travel approval takes them (the
    # rule shared with job matching: portal.people.selectors.area_q).
    q &= area_q_of(terms.area)
    return q


def offer_q(supervisee: Supervisee, today: datetime.date | None = None) -> Q:
    """Activities this person may join (apart from dates and places): the one rule used by
    the list, the detail page and the sign-up service."""
    return offer_q_of(OfferTerms.of(supervisee, today or timezone.localdate()))


# The latest moment there is: bounding the deadline on both sides by parameters gives
# PostgreSQL a narrow range to estimate, so one generic plan of the prepared statement
# fits every request.
LATEST = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def activities_open_to(supervisee: Supervisee, *, now=None) -> QuerySet:
    """Published activities the person may still sign up for."""
    now = now or timezone.now()
    terms = OfferTerms.of(supervisee, timezone.localdate(now))
    return Activity.objects.filter(offer_q_of(terms), status=Activity.Status.PUBLISHED,
                                   signup_deadline__gte=now, signup_deadline__lte=LATEST)


def activities_visible_to(user) -> QuerySet:
    """Activities whose page this user may open: a person sees those offered to them and
    those they signed up for; other signed-in users see published ones and the ones they
    manage (drafts included)."""
    actor = actor_for(user)
    if actor.user is None or not actor.user.is_authenticated:
        return Activity.objects.none()
    shown = Q(status__in=[Activity.Status.PUBLISHED, Activity.Status.COMPLETED,
                          Activity.Status.CANCELLED])
    if actor.supervisee_id and not (actor.is_staff_role or actor.has(Role.PARTNER_STAFF)):
        supervisee = person_for(user)
        mine = Signup.objects.filter(activity=OuterRef("pk"), supervisee_id=actor.supervisee_id)
        return Activity.objects.filter(
            (shown & offer_q(supervisee)) | Exists(mine)
        )
    managed = activities_managed_by(user).values("pk")
    return Activity.objects.filter(shown | Q(pk__in=managed))


def activity_for(user, pk) -> Activity:
    try:
        return _with_related(activities_visible_to(user)).prefetch_related("skills").get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def person_for(user) -> Supervisee | None:
    """The signed-in person's record with what the offer rule needs, kept on the user for
    the request."""
    cached = getattr(user, "_xy_volunteer", None)
    if cached is not None:
        return cached
    actor = actor_for(user)
    if actor.supervisee_id is None:
        return None
    # Most people have no prohibition order and no travel approval: the record says
    # whether they have any, and only lists that are not empty are read.
    supervisee = (
        Supervisee.objects.select_related("unit__district", "home_district", "caseworker")
        .annotate(
            has_prohibitions=Exists(ProhibitionOrder.objects.filter(supervisee=OuterRef("pk"))),
            has_travel=Exists(TravelApproval.objects.filter(supervisee=OuterRef("pk"))),
        ).get(pk=actor.supervisee_id)
    )
    if supervisee.user_id == user.pk:
        supervisee.user = user  # the signed-in account, already loaded
    # An empty list is prefetched from an empty queryset, which runs no statement.
    prefetch_related_objects([supervisee], *(
        Prefetch(name, queryset=None if present else model.objects.none())
        for name, model, present in (
            ("prohibitions", ProhibitionOrder, supervisee.has_prohibitions),
            ("travel_approvals", TravelApproval, supervisee.has_travel))))
    user._xy_volunteer = supervisee
    return supervisee


def area_districts(supervisee: Supervisee, *, today=None) -> tuple[Q, tuple] | None:
    """The districts a person in correction may be offered activities in (their county's,
    and the destinations of travel approvals not yet over), as a filter over districts
    and a key naming that set; None when there is no area limit. The list's district
    choices are these."""
    if supervisee.status != Supervisee.Status.IN_CORRECTION:
        return None
    today = today or timezone.localdate()
    county = area_county(supervisee)
    q = Q(county=county) if county else Q(pk__in=[])
    trips = sorted(a.destination_id for a in supervisee.travel_approvals.all()
                   if a.ends_on is None or a.ends_on >= today)
    if trips:
        q |= Q(pk__in=trips)
    return q, (county, tuple(trips))


def activity_browse(user, data=None, *, now=None, related=None):
    """The activity list as the filter form asks for it (`.qs`, `.form`). A person gets
    what they may sign up for; others the published activities still to come. `related`:
    the relations to read with each activity when a page shows fewer than _with_related's
    (each join left out saves the database planning time on every request)."""
    from .filters import ActivityFilter

    now = now or timezone.now()
    person = person_for(user)
    actor = actor_for(user)
    if person is not None and not (actor.is_staff_role or actor.has(Role.PARTNER_STAFF)):
        base = activities_open_to(person, now=now)
    else:
        base = Activity.objects.filter(status=Activity.Status.PUBLISHED, ends_at__gte=now)
    if related is None:
        base = _with_related(base)
    elif related:
        base = base.select_related(*related)
    base = base.prefetch_related("skills").order_by(*LIST_ORDER)
    if person is not None:
        # The person's active sign-up (at most one an activity), read with the page.
        base = base.annotate(my_signup_status=_my_signup_status(person.pk))
    filterset = ActivityFilter(data or None, queryset=base)
    if person is not None and not (actor.is_staff_role or actor.has(Role.PARTNER_STAFF)):
        area = area_districts(person, today=timezone.localdate(now))
        if area is not None:
            # Only districts the person can be offered anything in (a province has
            # hundreds); another district's code is named as a bad choice and ignored.
            limit_districts(filterset.form, area)
            filterset.area_key = area[1]
    return filterset


LIST_ORDER = ("starts_at", "pk")


def limit_districts(form, area: tuple) -> None:
    field = form.fields["district"]
    field.queryset = field.queryset.filter(area[0])


def _my_signup_status(supervisee_id: int) -> Subquery:
    return Subquery(Signup.objects.filter(activity=OuterRef("pk"), supervisee_id=supervisee_id,
                                          status__in=Signup.ACTIVE).values("status")[:1])


# --- A page of activity cards ------------------------------------------------------------
#
# A person's first page with no filter (most visits to the list, web and API) is one
# statement: the page's activities with the person's sign-up, each activity's skill ids
# and how many activities there are in all (a window count instead of a COUNT). It is
# activity_browse's own queryset, so the two cannot drift apart.

class _IdList(Aggregate):
    """A group's values as text joined by commas: GROUP_CONCAT, or STRING_AGG on
    PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s((%(expressions)s)::text, ',')",
                           **extra_context)


def _skill_ids() -> Subquery:
    links = Activity.skills.through.objects.filter(activity_id=OuterRef("pk"))
    return Subquery(links.values("activity_id").annotate(ids=_IdList("skill_id")).values("ids"),
                    output_field=CharField())


# What an activity card shows (volunteering/activity_list.html), as values() rows.
CARD_VALUES = ("id", "title", "starts_at", "place", "kind", "capacity", "places_taken",
               "theme__code", "theme__name", "district__name")
# What the API says of each activity (portal/api/routers/volunteering.py, _activity_row).
API_VALUES = CARD_VALUES + ("description", "ends_at", "signup_deadline", "waitlist_limit",
                            "hours", "suitable_for_juveniles", "status", "district__code",
                            "organisation__name", "unit__name")


def card_query(qs: QuerySet, *, fields=CARD_VALUES) -> QuerySet:
    """activity_browse's queryset as values() rows with `fields` and the skill ids
    (card_rows reads them)."""
    names = fields + (("my_signup_status",) if "my_signup_status" in qs.query.annotations
                      else ())
    return qs.prefetch_related(None).annotate(skill_ids=_skill_ids()).values(*names, "skill_ids")


def card_rows(rows) -> list[dict]:
    """The cards' values() rows with their skills, the places left and the kind's label."""
    rows = list(rows)
    attach_skills(rows)
    for row in rows:
        row["places_left"] = max(row["capacity"] - row["places_taken"], 0)
        row["kind_label"] = ServiceKind(row["kind"]).label
    return rows


def first_activity_page(user, data, *, size: int, related: tuple = (), cards: bool = False,
                        now=None) -> tuple[list, int] | None:
    """activity_browse(user, data).qs's first `size` activities, their skills read
    (skills_of), and how many there are in all, when `data` filters nothing and asks for
    the first page and the user is a person; None when activity_browse must be asked.
    With `cards`, the activities are card_rows() rows; with cards="api", rows with what the
    API shows of them (API_VALUES)."""
    if any(value not in (None, "") for key, value in data.items() if key != "page"):
        return None
    if str(data.get("page") or "1") != "1":
        return None
    person = person_for(user)
    actor = actor_for(user)
    if person is None or actor.is_staff_role or actor.has(Role.PARTNER_STAFF):
        return None
    qs = activity_browse(user, None, now=now, related=() if cards else related).qs
    qs = qs.annotate(listed=Window(Count("pk")))
    if cards:
        qs = card_query(qs, fields=(API_VALUES if cards == "api" else CARD_VALUES) + ("listed",))
    else:
        qs = qs.prefetch_related(None).annotate(skill_ids=_skill_ids())
    rows = card_rows(qs[:size]) if cards is True else list(qs[:size])
    if cards is not True:
        attach_skills(rows)
    if not rows:
        return rows, 0
    return rows, rows[0]["listed"] if cards else rows[0].listed


def attach_skills(activities) -> None:
    """Each activity's skills (in the skills' order) from its `skill_ids`, as its
    `skill_list` (skills_of reads it); `activities` are model instances or values() rows.
    One query for the whole page, none when no activity names a skill."""
    from portal.taxonomy.models import Skill

    wanted = []
    for a in activities:
        text = a.pop("skill_ids", None) if isinstance(a, dict) else getattr(a, "skill_ids", None)
        wanted.append({int(pk) for pk in text.split(",")} if text else set())
    every = set().union(*wanted)
    skills = list(Skill.objects.filter(pk__in=sorted(every))) if every else []
    for a, ids in zip(activities, wanted, strict=True):
        found = [skill for skill in skills if skill.pk in ids]
        if isinstance(a, dict):
            a["skill_list"] = found
        else:
            a.skill_list = found


def skills_of(activity: Activity) -> list:
    """The activity's skills: as attach_skills read them, else as prefetched or queried."""
    found = getattr(activity, "skill_list", None)
    return found if found is not None else list(activity.skills.all())


def first_page_count(items: list, start: int, size: int) -> int | None:
    """The total count, when a page of `items` from `start` shows it without a COUNT
    query: a short page that is not past the end. None when it has to be counted."""
    if len(items) < size and (items or start == 0):
        return start + len(items)
    return None


def signup_states(supervisee: Supervisee | None, activities) -> dict[int, Signup]:
    """The person's active sign-up per activity, for marking a page of activities."""
    if supervisee is None:
        return {}
    ids = [a.pk for a in activities]
    return {
        s.activity_id: s for s in Signup.objects.filter(
            supervisee=supervisee, activity_id__in=ids, status__in=Signup.ACTIVE)
    }


def waitlist_position(signup: Signup) -> int | None:
    if signup.status != Signup.Status.WAITLISTED:
        return None
    return Signup.objects.filter(
        Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, pk__lt=signup.pk),
        activity_id=signup.activity_id, status=Signup.Status.WAITLISTED,
    ).count() + 1


def _positions(signups) -> dict[int, int]:
    """Waiting-list positions of several sign-ups in one query."""
    waiting = [s for s in signups if s.status == Signup.Status.WAITLISTED]
    if not waiting:
        return {}
    queue = Signup.objects.filter(
        activity_id__in={s.activity_id for s in waiting}, status=Signup.Status.WAITLISTED,
    ).order_by("activity_id", "created_at", "pk").values_list("pk", "activity_id")
    positions, counter = {}, defaultdict(int)
    for pk, activity_id in queue:
        counter[activity_id] += 1
        positions[pk] = counter[activity_id]
    return {s.pk: positions.get(s.pk) for s in waiting}


# --- A person's own pages ----------------------------------------------------------------

def my_signups(supervisee: Supervisee, *, upcoming_only: bool = False, now=None) -> list:
    now = now or timezone.now()
    qs = (
        Signup.objects.filter(supervisee=supervisee)
        .select_related("activity__theme", "activity__organisation", "activity__unit",
                        "activity__district")
        .annotate(credited=Sum("hours_entries__hours"))
        .order_by("-activity__starts_at", "-pk")
    )
    if upcoming_only:
        qs = qs.filter(status__in=Signup.ACTIVE, activity__ends_at__gte=now,
                       activity__status=Activity.Status.PUBLISHED).order_by(
            "activity__starts_at", "pk")
    rows = list(qs[:200])
    positions = _positions(rows)
    for row in rows:
        row.position = positions.get(row.pk)
    return rows


MY_PAGE_SIGNUPS = 200
MY_PAGE_HISTORY = 30


# What the page shows of a sign-up and its activity, and the waiting-list order: read as
# values, into light rows with the attributes the page's tags use (no model instances).
_MY_PAGE_VALUES = ("pk", "activity_id", "status", "attendance", "created_at", "credited",
                   "activity__title", "activity__starts_at", "activity__ends_at",
                   "activity__status", "activity__place", "activity__district__name")


class _Named:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class MyActivityRow:
    __slots__ = ("pk", "title", "starts_at", "ends_at", "status", "place", "district")


class MySignupRow:
    """A sign-up on the person's page (my_page_signups): its own fields, the hours credited
    and what the page shows of the activity (`.activity.title`, `.activity.district.name`)."""

    __slots__ = ("pk", "activity_id", "status", "attendance", "created_at", "credited",
                 "activity", "position")

    def __init__(self, values):
        (self.pk, self.activity_id, self.status, self.attendance, self.created_at,
         self.credited, title, starts_at, ends_at, status, place, district) = values
        activity = self.activity = MyActivityRow()
        activity.pk, activity.title, activity.starts_at, activity.ends_at = (
            self.activity_id, title, starts_at, ends_at)
        activity.status, activity.place, activity.district = status, place, _Named(district)
        self.position = None


def _my_page_signups_base(supervisee):
    return (Signup.objects.filter(supervisee=supervisee)
            .annotate(credited=Sum("hours_entries__hours")))




def my_page_signups(supervisee: Supervisee, *, now=None) -> tuple[list, list]:
    """The person's page: (upcoming, history) as my_signups(upcoming_only=True) and the
    confirmed, started ones among my_signups()'s rows (at most MY_PAGE_HISTORY), from one
    query when the person has fewer than MY_PAGE_SIGNUPS sign-ups (the upcoming ones are
    then all among them), as MySignupRow rows. Only the columns the page shows are read."""
    now = now or timezone.now()
    found = _my_page_signups_base(supervisee).order_by(
        "-activity__starts_at", "-pk").values_list(*_MY_PAGE_VALUES)[:MY_PAGE_SIGNUPS]
    rows = [MySignupRow(values) for values in found]
    history = [s for s in rows if s.status == Signup.Status.CONFIRMED
               and s.activity.starts_at <= now][:MY_PAGE_HISTORY]
    if len(rows) < MY_PAGE_SIGNUPS:
        upcoming = sorted(
            (s for s in rows if s.status in Signup.ACTIVE and s.activity.ends_at >= now
             and s.activity.status == Activity.Status.PUBLISHED),
            key=lambda s: (s.activity.starts_at, s.pk))
    else:
        upcoming = [MySignupRow(values) for values in (
            _my_page_signups_base(supervisee).filter(
                status__in=Signup.ACTIVE, activity__ends_at__gte=now,
                activity__status=Activity.Status.PUBLISHED)
            .order_by("activity__starts_at", "pk").values_list(*_MY_PAGE_VALUES)
            [:MY_PAGE_SIGNUPS])]
    positions = _positions(upcoming)
    for row in upcoming:
        row.position = positions.get(row.pk)
    return upcoming, history


def my_page_figures(supervisee: Supervisee) -> dict:
    """What the person's page shows beside the ledger, in one query: the level's monthly
    target (as target_for), the hours a certificate needs (ServiceSettings), the
    consents in force for certificates and for the export (as current_consents), and
    whether the person has any certificate or correction request at all."""
    from portal.people.models import LevelTarget

    def consent(kind):
        return Subquery(Consent.objects.filter(supervisee=OuterRef("pk"), kind=kind)
                        .order_by("-recorded_at", "-pk").values("granted")[:1])

    # The target of the level on the person's own row.
    targets = LevelTarget.objects.filter(level=OuterRef("level")).order_by("level")
    row = Supervisee.objects.filter(pk=supervisee.pk).annotate(
        target_pk=Subquery(targets.values("pk")[:1]),
        target_hours=Subquery(targets.values("service_hours")[:1]),
        certificate_min=Subquery(ServiceSettings.objects.order_by("pk")
                                 .values("certificate_min_hours")[:1]),
        consent_certificate=consent(Consent.Kind.CERTIFICATE),
        consent_export=consent(Consent.Kind.VOLUNTEER_EXPORT),
        # Most people have neither: the lists are read only when there is something in them.
        has_certificates=Exists(Certificate.objects.filter(supervisee=OuterRef("pk"))),
        has_corrections=Exists(HoursCorrectionRequest.objects.filter(
            signup__supervisee=OuterRef("pk"))),
        volunteer_number=Subquery(VolunteerProfile.objects.filter(
            supervisee=OuterRef("pk")).values("volunteer_number")[:1]),
    ).values("target_pk", "target_hours", "certificate_min", "consent_certificate",
             "consent_export", "has_certificates", "has_corrections",
             "volunteer_number").first()
    if row is None:
        raise Supervisee.DoesNotExist
    minimum = row["certificate_min"]
    if minimum is None:  # no settings row yet: load() creates it with the defaults
        minimum = service_settings().certificate_min_hours
    target = None
    if row["target_pk"] is not None:
        target = LevelTarget(pk=row["target_pk"], level=supervisee.level,
                             service_hours=row["target_hours"])
    return {"target": target, "certificate_minimum": minimum,
            "consent_certificate": bool(row["consent_certificate"]),
            "consent_export": bool(row["consent_export"]),
            "has_certificates": bool(row["has_certificates"]),
            "has_corrections": bool(row["has_corrections"]),
            "volunteer_number": row["volunteer_number"] or ""}


def _month_rows(supervisee) -> list[tuple]:
    """The person's months from the ledger's monthly roll-up (kept by the database in the
    same transaction as every entry and confirmation), newest first: (month,
    public-welfare, confirmed, volunteer service, confirmed, entries waiting for
    confirmation, the person's level). `supervisee`: the record or its id."""
    from portal.people.models import MonthHours

    waiting = (UnconfirmedHours.objects.filter(supervisee=OuterRef("supervisee"))
               .order_by().values("supervisee").annotate(n=Count("pk")).values("n"))
    return list(
        MonthHours.objects.filter(supervisee_id=getattr(supervisee, "pk", supervisee))
        .annotate(waiting=Subquery(waiting, output_field=IntegerField()))
        .order_by("-month")
        .values_list("month", "public_welfare", "public_welfare_confirmed", "volunteer",
                     "volunteer_confirmed", "waiting", "supervisee__level"))


def _by_kind(row) -> dict:
    _month, pw, pw_done, vs, vs_done = row[:5]
    return {ServiceKind.PUBLIC_WELFARE: {"total": pw, "confirmed": pw_done},
            ServiceKind.VOLUNTEER_SERVICE: {"total": vs, "confirmed": vs_done}}


def _totals(rows, month_start: datetime.date) -> dict:
    totals = {"public_welfare": ZERO, "volunteer_service": ZERO, "month_counted": ZERO,
              "month_public_welfare": ZERO, "month_volunteer": ZERO,
              "unconfirmed": (rows[0][5] or 0) if rows else 0}
    for month, pw, _pw_done, vs in (r[:4] for r in rows):
        totals["public_welfare"] += pw
        totals["volunteer_service"] += vs
        if month == month_start:
            totals["month_counted"] += _pw_done
            totals["month_public_welfare"] += pw
            totals["month_volunteer"] += vs
    return totals


def hours_page(supervisee: Supervisee, *, today=None) -> tuple[list[dict], dict]:
    """hours_table() and hours_totals() of the person's page from one query of the
    monthly roll-up."""
    today = today or timezone.localdate()
    rows = _month_rows(supervisee)
    return _table(rows), _totals(rows, today.replace(day=1))


def _table(rows) -> list[dict]:
    table = []
    for row in rows:
        if not any(row[1:5]):
            continue
        kinds = _by_kind(row)
        table.append({"month": row[0],
                      "public_welfare": kinds[ServiceKind.PUBLIC_WELFARE],
                      "volunteer_service": kinds[ServiceKind.VOLUNTEER_SERVICE]})
    return table


def hours_by_month(supervisee: Supervisee, *, month: datetime.date | None = None) -> list[dict]:
    """Hours per month and kind, derived from the ledger (through its monthly roll-up):
    `total` is the sum of every entry, `confirmed` the part a caseworker has confirmed
    (what counts toward targets). A kind with neither in a month is left out."""
    return months_and_totals(supervisee, month=month)[0]


def months_and_totals(supervisee, *, month: datetime.date | None = None,
                      today=None) -> tuple[list[dict], dict]:
    """hours_by_month() (of one month, when given) and hours_totals() from one query.
    `supervisee` may be the record's id; the totals then also carry the person's
    management level (`level`), read in the same query (one more when the person has
    no hours yet)."""
    today = today or timezone.localdate()
    by_id = not isinstance(supervisee, Supervisee)
    rows = _month_rows(supervisee)
    out = []
    for row in rows:
        if month is not None and row[0] != month.replace(day=1):
            continue
        for kind, figures in _by_kind(row).items():
            if figures["total"] or figures["confirmed"]:
                out.append({"month": row[0], "kind": kind, **figures})
    totals = _totals(rows, today.replace(day=1))
    if by_id:
        totals["level"] = rows[0][6] if rows else (
            Supervisee.objects.filter(pk=supervisee).values_list("level", flat=True).first())
    return out, totals


def hours_table(supervisee: Supervisee) -> list[dict]:
    """One row per month with both kinds side by side, for the person's page."""
    return _table(_month_rows(supervisee))


def hours_totals(supervisee: Supervisee, *, today=None) -> dict:
    """All-time totals per kind, this month's confirmed public-welfare hours (what counts
    toward the monthly target) and the number of entries waiting for confirmation, in
    one query."""
    today = today or timezone.localdate()
    return _totals(_month_rows(supervisee), today.replace(day=1))


def _certificates_with_figures(qs: QuerySet) -> QuerySet:
    return qs.select_related("revocation", "replaced_by", "replaces").prefetch_related(
        Prefetch("lines", queryset=CertificateLine.objects.order_by("organisation_name", "pk")))


def my_certificates(supervisee: Supervisee) -> list[Certificate]:
    """The person's records, newest first, with their lines and what became of them."""
    return list(_certificates_with_figures(
        Certificate.objects.filter(supervisee=supervisee)).order_by("-issued_at", "-pk"))


def certificate_in_force(supervisee) -> Certificate | None:
    """The person's newest record neither revoked nor replaced."""
    return (Certificate.objects.in_force().filter(supervisee=supervisee)
            .order_by("-issued_at", "-pk").first())


def volunteer_profile(supervisee) -> VolunteerProfile | None:
    return VolunteerProfile.objects.filter(supervisee=supervisee).first()


def certificate_for(user, pk) -> Certificate:
    """A certificate its holder, a certifying organisation's staff (never a juvenile's)
    or staff who may see the person may download; 404 for anyone else."""
    actor = actor_for(user)
    q = Q(pk__in=[])
    if actor.has(Role.SUPERUSER):
        q = Q()
    else:
        if actor.supervisee_id:
            q |= Q(supervisee_id=actor.supervisee_id)
        if actor.organisations:
            q |= Q(pk__in=CertificateLine.objects.filter(
                organisation_id__in=actor.organisation_ids).values("certificate_id"),
                supervisee__is_juvenile=False)
        if actor.is_staff_role:
            q |= Q(supervisee__in=supervisees_visible_to(user))
    try:
        return _certificates_with_figures(
            Certificate.objects.select_related("supervisee").filter(q)).get(pk=pk)
    except (Certificate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_revoke_certificate(user, certificate: Certificate) -> bool:
    """Who may revoke or replace a record: staff who may see the person, and the staff
    of an organisation that certifies hours on it (never for a juvenile)."""
    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return True
    if actor.is_staff_role and supervisees_visible_to(user).filter(
            pk=certificate.supervisee_id).exists():
        return True
    if actor.organisations and not certificate.supervisee.is_juvenile:
        return certificate.lines.filter(organisation_id__in=actor.organisation_ids).exists()
    return False


def certificate_by_code(code: str) -> Certificate | None:
    """For the public verification page: a well-formed code of an issued certificate."""
    code = (code or "").strip().upper()
    if not code or len(code) > 32 or not code.isalnum():
        return None
    return Certificate.objects.filter(code=code).first()


def latest_of(certificate: Certificate) -> Certificate:
    """The record that answers for `certificate`: itself, or the newest that replaced
    it (a chain of replacements is followed to its end)."""
    seen = {certificate.pk}
    while True:
        newer = Certificate.objects.filter(replaces=certificate).first()
        if newer is None or newer.pk in seen:
            return certificate
        seen.add(newer.pk)
        certificate = newer


def certificate_public(code: str) -> dict | None:
    """What the public verification page (and API) may show: the masked name, the
    volunteer number, each certifying organisation's hours, the total, the period and
    whether the record is valid. A replaced record answers with the one replacing it.
    Nothing else leaves: no person, no corrections body (only partners certify)."""
    from portal.people.models import mask_name

    asked = certificate_by_code(code)
    if asked is None:
        return None
    certificate = _certificates_with_figures(Certificate.objects.filter(
        pk=latest_of(asked).pk)).get()
    revocation = certificate.revocation_or_none
    return {
        "serial": certificate.serial,
        "asked_serial": asked.serial,
        "replaced": asked.pk != certificate.pk,
        "masked_name": mask_name(certificate.holder_name),
        "volunteer_number": certificate.volunteer_number,
        "hours": certificate.hours,
        "period_start": certificate.period_start,
        "period_end": certificate.period_end,
        "lines": [{"organisation": line.organisation_name, "hours": line.hours,
                   "period_start": line.period_start, "period_end": line.period_end}
                  for line in certificate.lines.all()],
        "issued_at": certificate.issued_at,
        "is_valid": revocation is None,
        "revoked_at": revocation.revoked_at if revocation else None,
    }


def my_correction_requests(supervisee: Supervisee) -> list:
    return list(HoursCorrectionRequest.objects.filter(signup__supervisee=supervisee)
                .select_related("signup__activity").order_by("-created_at", "-pk")[:50])


def certifiable_hours(supervisee: Supervisee) -> list[dict]:
    """Volunteer-service hours per certifying organisation (docs/domain.md rule 2): the
    partner that organised the activity, or the partner a unit named to record its
    volunteer service. Hours a unit recorded without one are certified by nobody. Each
    row: the organisation, its name, the total, the period over the activities that
    still carry hours after corrections, and their themes."""
    certifier = Coalesce("organisation_id", "activity__recording_organisation_id")
    per_signup = (
        HoursEntry.objects.filter(supervisee=supervisee, kind=ServiceKind.VOLUNTEER_SERVICE)
        .annotate(certifier=certifier)
        .filter(certifier__isnull=False)
        .values("certifier", "signup_id", "service_date", "activity__theme__name")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    by_body: dict[int, dict] = {}
    for r in per_signup:
        row = by_body.setdefault(r["certifier"], {"total": ZERO, "dates": [], "themes": set()})
        row["total"] += r["total"] or ZERO
        if (r["total"] or ZERO) > 0:
            row["dates"].append(r["service_date"])
            if r["activity__theme__name"]:
                row["themes"].add(r["activity__theme__name"])
    names = dict(Organisation.objects.filter(pk__in=by_body, kind__in=ORGANISER_KINDS)
                 .values_list("pk", "name"))
    rows = [
        {"organisation_id": pk, "issuer": names[pk], "total": row["total"],
         "period_start": min(row["dates"]), "period_end": max(row["dates"]),
         "themes": sorted(row["themes"])}
        for pk, row in by_body.items()
        if pk in names and row["total"] > 0 and row["dates"]
    ]
    return sorted(rows, key=lambda r: (r["issuer"], r["organisation_id"]))


# --- Organisers --------------------------------------------------------------------------

def organiser_overview(user, *, now=None) -> dict:
    """The organiser's page: their activities with sign-up and waiting-list counts,
    activities whose attendance is still to be taken, correction requests to decide."""
    now = now or timezone.now()
    managed = activities_managed_by(user)
    # A correlated count, worked out only for the rows shown (a join and GROUP BY would
    # aggregate every sign-up of every activity the organiser ever ran before the LIMIT).
    waiting = (Signup.objects.filter(activity=OuterRef("pk"), status=Signup.Status.WAITLISTED)
               .order_by().values("activity").annotate(n=Count("pk")).values("n"))
    annotated = _with_related(managed).annotate(
        waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
    )
    upcoming = list(
        annotated.filter(ends_at__gte=now).exclude(status=Activity.Status.CANCELLED)
        .order_by("starts_at", "pk")[:50]
    )
    to_take = list(
        annotated.filter(status=Activity.Status.PUBLISHED, starts_at__lte=now)
        .order_by("-starts_at", "pk")[:50]
    )
    recent = list(
        annotated.filter(ends_at__lt=now).exclude(status=Activity.Status.PUBLISHED)
        .order_by("-starts_at", "-pk")[:20]
    )
    corrections = list(
        HoursCorrectionRequest.objects.filter(
            status=HoursCorrectionRequest.Status.PENDING, signup__activity__in=managed.values("pk"))
        .select_related("signup__activity", "signup__supervisee").order_by("created_at", "pk")[:50]
    )
    return {"upcoming": upcoming, "to_take": to_take, "recent": recent,
            "corrections": corrections}


def activity_roster(activity: Activity) -> dict:
    """An organiser's view of one activity: confirmed participants and the waiting list, in
    order, with the hours credited so far and any pending correction request, in one query
    whatever the number of sign-ups."""
    # At most one pending correction request a sign-up (a unique constraint): its id,
    # hours and reason come with the sign-up rather than in a query of their own.
    pending = HoursCorrectionRequest.objects.filter(
        signup=OuterRef("pk"), status=HoursCorrectionRequest.Status.PENDING).order_by()
    signups = (
        Signup.objects.filter(activity=activity, status__in=Signup.ACTIVE)
        .select_related("supervisee")
        # What display_name_for_partner needs of the person, nothing more.
        .only(*(f.name for f in Signup._meta.concrete_fields),
              "supervisee__legal_name", "supervisee__alias", "supervisee__is_juvenile")
        .annotate(credited=Sum("hours_entries__hours"),
                  pending_pk=Subquery(pending.values("pk")[:1]),
                  pending_hours=Subquery(pending.values("hours")[:1]),
                  pending_reason=Subquery(pending.values("reason")[:1]))
        .order_by("created_at", "pk")
    )
    confirmed, waiting = [], []
    for s in signups:
        s.pending_correction = None
        if s.pending_pk is not None:
            s.pending_correction = HoursCorrectionRequest(
                pk=s.pending_pk, signup=s, hours=s.pending_hours, reason=s.pending_reason,
                status=HoursCorrectionRequest.Status.PENDING)
        (confirmed if s.status == Signup.Status.CONFIRMED else waiting).append(s)
    for i, s in enumerate(waiting, start=1):
        s.position = i
    return {"confirmed": confirmed, "waiting": waiting}


def signup_for_organiser(user, activity: Activity, signup_id) -> Signup:
    try:
        return Signup.objects.select_related("supervisee", "activity").get(
            pk=signup_id, activity=activity)
    except (Signup.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def correction_for_organiser(user, pk) -> HoursCorrectionRequest:
    try:
        return HoursCorrectionRequest.objects.select_related(
            "signup__activity", "signup__supervisee").get(
            pk=pk, signup__activity__in=activities_managed_by(user).values("pk"))
    except (HoursCorrectionRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Caseworkers -------------------------------------------------------------------------

def hours_to_confirm(user) -> QuerySet:
    """Ledger entries of the people this caseworker may see that nobody has confirmed."""
    return (
        HoursEntry.objects.filter(pk__in=UnconfirmedHours.objects.filter(
            supervisee__in=supervisees_visible_to(user)).values("entry_id"))
        .select_related("supervisee", "activity", "organisation", "unit", "reverses")
        .order_by("service_date", "pk")
    )


def person_hours_for_staff(user, supervisee: Supervisee) -> list:
    return list(
        HoursEntry.objects.filter(supervisee=supervisee)
        .select_related("activity", "organisation", "unit", "recorded_by", "confirmation",
                        "reverses")
        .order_by("-service_date", "-pk")[:200]
    )


# --- Export for the national volunteer-service system ------------------------------------

def consenting(supervisee_ids, kind: str) -> set[int]:
    """Of these people, those whose consent of `kind` in force is granted (latest wins),
    in one query."""
    latest: dict[int, bool] = {}
    rows = (
        Consent.objects.filter(supervisee_id__in=list(supervisee_ids), kind=kind)
        .order_by("supervisee_id", "-recorded_at", "-pk").values_list("supervisee_id", "granted")
    )
    for sid, granted in rows:
        latest.setdefault(sid, granted)
    return {sid for sid, granted in latest.items() if granted}


def export_rows(user, *, activity: Activity | None = None, date_from=None,
                date_to=None) -> list[dict]:
    """Volunteer-service hours, per person and activity, of the activities this user manages,
    for the people who consented to the export. Public-welfare hours never appear. Partner
    staff never get a juvenile; staff only get people whose records they may see."""
    actor = actor_for(user)
    entries = HoursEntry.objects.filter(
        kind=ServiceKind.VOLUNTEER_SERVICE, activity__in=activities_managed_by(user).values("pk"))
    if activity is not None:
        entries = entries.filter(activity=activity)
    if date_from:
        entries = entries.filter(service_date__gte=date_from)
    if date_to:
        entries = entries.filter(service_date__lte=date_to)
    if not actor.has(Role.SUPERUSER):
        entries = entries.filter(
            Q(activity__organisation_id__in=actor.organisation_ids,
              supervisee__is_juvenile=False)
            | (_subtree(actor.units, "activity__unit__")
               & Q(supervisee__in=supervisees_visible_to(user)))
        )
    grouped = list(
        entries.values("supervisee_id", "activity_id", "service_date")
        .annotate(total=Sum("hours")).order_by("service_date", "activity_id", "supervisee_id")
    )
    grouped = [g for g in grouped if g["total"] and g["total"] > 0]
    consented = consenting({g["supervisee_id"] for g in grouped}, Consent.Kind.VOLUNTEER_EXPORT)
    grouped = [g for g in grouped if g["supervisee_id"] in consented]
    people = Supervisee.objects.in_bulk({g["supervisee_id"] for g in grouped})
    numbers = dict(VolunteerProfile.objects.filter(supervisee_id__in=people)
                   .values_list("supervisee_id", "volunteer_number"))
    activities = Activity.objects.select_related(
        "theme", "organisation", "recording_organisation").in_bulk(
        {g["activity_id"] for g in grouped})
    unit_names = list(Unit.objects.values_list("name", flat=True))
    rows = []
    for g in grouped:
        person, act = people[g["supervisee_id"]], activities[g["activity_id"]]
        certifier = act.certifier
        if certifier is None:
            # A unit's volunteer service without a recording partner: nobody may certify
            # it, and a corrections body never goes to the national system.
            continue
        rows.append({
            "supervisee": person,
            "activity_id": act.pk,
            "name": person.legal_name,
            "id_type": person.get_id_type_display(),
            "id_number": person.id_number,
            "volunteer_number": numbers.get(person.pk, ""),
            "service_date": g["service_date"],
            "hours": g["total"],
            "service_content": neutral_text(f"{act.theme.name}：{act.title}",
                                            names=unit_names),
            "organisation": certifier.name,
        })
    return rows


# --- This month's public-welfare target ----------------------------------------------------
#
# docs/domain.md rules 1 and 8. Only public-welfare hours count toward the monthly target of
# the person's level (people.LevelTarget); volunteer service goes on the volunteer-service
# record and never counts. What a person has done (confirmed or waiting for confirmation)
# and the planned hours of the sign-ups not yet credited are set against the share of the
# target due by today ("behind"); what is still needed after both is set against the open
# public-welfare activities the person may still join this month without a clash
# ("reachable"). One computation for the person's pages, the API and the caseworker's today
# list, in a fixed number of queries whatever the number of people.

@dataclass(frozen=True)
class MonthTarget:
    """A person's public-welfare standing this month (hours as Decimals)."""

    month: datetime.date
    target: Decimal | None  # the level's hours a month; None: no target set
    confirmed: Decimal  # confirmed public-welfare hours: what counts toward the target
    waiting: Decimal  # public-welfare hours recorded, waiting for confirmation
    signed_up: Decimal  # planned hours of this month's public-welfare places not yet credited
    volunteer: Decimal  # volunteer-service hours this month: they do not count
    expected: Decimal  # the share of the target due by today (pro rata)
    days_left: int  # days left in the month, today included
    open_hours: Decimal  # the most hours the open activities can still give, without clashes
    open_activities: int  # open public-welfare activities the person may still join

    @property
    def done(self) -> Decimal:
        return self.confirmed + self.waiting

    @property
    def needed(self) -> Decimal:
        """Hours still to find beyond what is done and signed up for."""
        if self.target is None:
            return ZERO
        return max(self.target - self.done - self.signed_up, ZERO)

    @property
    def behind(self) -> bool:
        """Done and signed up for is less than the share due by today."""
        return self.target is not None and self.done + self.signed_up < self.expected

    @property
    def reachable(self) -> bool:
        """What is still needed can be found in open activities this month."""
        return self.needed <= self.open_hours

    @property
    def met(self) -> bool:
        return self.target is not None and self.confirmed >= self.target


def month_span(now=None) -> tuple[datetime.date, datetime.datetime, datetime.datetime]:
    """This month (local time) at `now`: its first day, and its first moment and the
    first moment of the next month as aware datetimes."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = today.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (first, datetime.datetime.combine(first, datetime.time.min, tz),
            datetime.datetime.combine(following, datetime.time.min, tz))


def pro_rata(target: Decimal | None, today: datetime.date) -> Decimal:
    """The share of a monthly target due by the end of `today` (to a tenth of an hour)."""
    if target is None:
        return ZERO
    first = today.replace(day=1)
    days = ((first + datetime.timedelta(days=32)).replace(day=1) - first).days
    return (target * Decimal(today.day) / Decimal(days)).quantize(Decimal("0.1"))


def _planned(signups, start, after) -> Q:
    """Of `signups` (a filter over sign-ups, by their path prefix), the confirmed places on
    published public-welfare activities starting in [start, after) that no hours entry has
    credited yet and that were not marked a no-show: the planned hours still to come."""
    return Q(**{f"{signups}status": Signup.Status.CONFIRMED,
                f"{signups}activity__kind": ServiceKind.PUBLIC_WELFARE,
                f"{signups}activity__status": Activity.Status.PUBLISHED,
                f"{signups}activity__starts_at__gte": start,
                f"{signups}activity__starts_at__lt": after}) & ~Q(
        **{f"{signups}attendance": Signup.Attendance.NO_SHOW})


def signed_up_hours(*, now=None, person: str = "pk"):
    """The planned hours of the person's public-welfare places this month not yet credited
    (MonthTarget.signed_up), as an expression over people (OuterRef(`person`)) for lists
    that show many people in one statement (casework's caseload and today list)."""
    __, start, after = month_span(now)
    credited = HoursEntry.objects.filter(signup=OuterRef("pk"))
    planned = (Signup.objects.filter(_planned("", start, after), ~Exists(credited),
                                     supervisee=OuterRef(person))
               .order_by().values("supervisee").annotate(s=Sum("activity__hours")).values("s"))
    return Coalesce(Subquery(planned[:1]), Value(ZERO),
                    output_field=DecimalField(max_digits=9, decimal_places=2))


def offered(terms: OfferTerms, activity: dict) -> bool:
    """offer_q_of(terms) for an activity already read as a dict (kind, unit__path,
    suitable_for_juveniles, venue_type_id, district_id, district__county, starts_at,
    ends_at): the same rule in Python, for many people at once (tests/volunteering/
    test_targets.py proves the two agree)."""
    if terms.closed:
        return False
    if terms.juvenile and not activity["suitable_for_juveniles"]:
        return False
    if activity["venue_type_id"] in terms.venue_types:
        return False
    if activity["district_id"] in terms.districts:
        return False
    if activity["kind"] == ServiceKind.PUBLIC_WELFARE and (
            terms.public_welfare_paths is None
            or activity["unit__path"] not in terms.public_welfare_paths):
        return False
    if terms.area is None:
        return True
    county, trips = terms.area
    if county and activity["district__county"] == county:
        return True
    return any(activity["district_id"] == destination and activity["starts_at"] >= first
               and (after is None or activity["ends_at"] <= after)
               for destination, first, after in trips)


def _most_hours(activities) -> Decimal:
    """The most hours a person can take from `activities` (dicts with starts_at, ends_at,
    hours), no two at the same time (weighted interval scheduling)."""
    from bisect import bisect_right

    ordered = sorted(activities, key=lambda a: a["ends_at"])
    ends = [a["ends_at"] for a in ordered]
    best = [ZERO]
    for k, a in enumerate(ordered):
        before = bisect_right(ends, a["starts_at"], 0, k)  # those over by its start
        best.append(max(best[k], best[before] + a["hours"]))
    return best[-1]


TARGET_ACTIVITY_VALUES = ("pk", "kind", "unit__path", "suitable_for_juveniles", "venue_type_id",
                    "district_id", "district__county", "starts_at", "ends_at", "hours")


def month_targets(people, *, now=None) -> list[tuple[Supervisee, MonthTarget]]:
    """Each person in correction among `people` (a queryset of people the caller may
    see) with their MonthTarget, in a fixed number of queries: the people with this
    month's figures and their level's target; their court orders and travel approvals
    (only when some of them have any); their sign-ups; the open public-welfare
    activities of their units and the units above them."""
    from portal.people.models import LevelTarget

    now = now or timezone.now()
    first, start, after = month_span(now)
    found = list(
        people.filter(status=Supervisee.Status.IN_CORRECTION).order_by()
        .select_related("unit__district", "home_district")
        .annotate(
            xy_target_month=FilteredRelation("month_hours",
                                             condition=Q(month_hours__month=first)),
            xy_pw=F("xy_target_month__public_welfare"),
            xy_pw_confirmed=F("xy_target_month__public_welfare_confirmed"),
            xy_vs=F("xy_target_month__volunteer"),
            xy_target=Subquery(LevelTarget.objects.filter(level=OuterRef("level"))
                               .order_by().values("service_hours")[:1]),
            has_prohibitions=Exists(ProhibitionOrder.objects.filter(supervisee=OuterRef("pk"))),
            has_travel=Exists(TravelApproval.objects.filter(supervisee=OuterRef("pk"))),
        ))
    return _with_targets(found, now=now)


def month_target(supervisee: Supervisee, *, now=None,
                 figures: dict | None = None) -> MonthTarget | None:
    """month_targets() of one person (None when not in correction). The record as
    person_for() reads it (unit, districts, court orders and travel approvals at hand);
    `figures`: this month's xy_pw, xy_pw_confirmed, xy_vs and the level's xy_target when
    the caller read them with the record, else one query reads them."""
    if supervisee.status != Supervisee.Status.IN_CORRECTION:
        return None
    from portal.people.models import LevelTarget, MonthHours

    now = now or timezone.now()
    if figures is None:
        first = timezone.localdate(now).replace(day=1)
        month = MonthHours.objects.filter(supervisee=OuterRef("pk"), month=first).order_by()
        figures = Supervisee.objects.filter(pk=supervisee.pk).annotate(
            xy_pw=Subquery(month.values("public_welfare")[:1]),
            xy_pw_confirmed=Subquery(month.values("public_welfare_confirmed")[:1]),
            xy_vs=Subquery(month.values("volunteer")[:1]),
            xy_target=Subquery(LevelTarget.objects.filter(level=OuterRef("level"))
                               .order_by().values("service_hours")[:1]),
        ).values("xy_pw", "xy_pw_confirmed", "xy_vs", "xy_target").first() or {}
    for name in ("xy_pw", "xy_pw_confirmed", "xy_vs", "xy_target"):
        setattr(supervisee, name, figures.get(name))
    return _with_targets([supervisee], now=now, orders_read=True)[0][1]


def _read_orders(found) -> None:
    """Prefetch the court orders and travel approvals of those who have any (the
    has_prohibitions / has_travel flags); an empty list for the others, without a query."""
    for name, model, flag in (("prohibitions", ProhibitionOrder, "has_prohibitions"),
                              ("travel_approvals", TravelApproval, "has_travel")):
        having = [p for p in found if getattr(p, flag)]
        others = [p for p in found if not getattr(p, flag)]
        if having:
            prefetch_related_objects(having, name)
        if others:
            prefetch_related_objects(others, Prefetch(name, queryset=model.objects.none()))


def _many_peoples(ids, candidate, start, after) -> tuple[dict, list]:
    """The sign-ups of these people that plan hours this month or could clash with an
    activity this month (by person), and the candidate activities: two queries."""
    credited = HoursEntry.objects.filter(signup=OuterRef("pk"))
    signups = defaultdict(list)
    for row in (Signup.objects.filter(supervisee_id__in=ids, status__in=Signup.ACTIVE,
                                      activity__status=Activity.Status.PUBLISHED,
                                      activity__ends_at__gt=start,
                                      activity__starts_at__lt=after)
                .annotate(xy_credited=Exists(credited), xy_planned=ExpressionWrapper(
                    _planned("", start, after), output_field=BooleanField()))
                .values("supervisee_id", "activity_id", "status", "xy_credited", "xy_planned",
                        "activity__starts_at", "activity__ends_at", "activity__hours")):
        signups[row["supervisee_id"]].append(row)
    activities = list(Activity.objects.filter(candidate).order_by()
                      .values(*TARGET_ACTIVITY_VALUES)) if candidate is not None else []
    return signups, activities


def _one_persons(pk, candidate, start, after) -> tuple[dict, list]:
    """_many_peoples() of one person in one query: the candidate activities and the
    activities the person has an active sign-up for, each with that sign-up."""
    mine = Signup.objects.filter(activity=OuterRef("pk"), supervisee_id=pk,
                                 status__in=Signup.ACTIVE)
    signed = Q(Exists(mine), status=Activity.Status.PUBLISHED, ends_at__gt=start,
               starts_at__lt=after)
    rows = (Activity.objects.filter(signed | candidate if candidate is not None else signed)
            .annotate(xy_status=Subquery(mine.values("status")[:1]),
                      xy_no_show=Exists(mine.filter(attendance=Signup.Attendance.NO_SHOW)),
                      xy_credited=Exists(HoursEntry.objects.filter(
                          signup__activity=OuterRef("pk"), signup__supervisee_id=pk,
                          signup__status__in=Signup.ACTIVE)))
            .order_by().values(*TARGET_ACTIVITY_VALUES, "xy_status", "xy_no_show",
                               "xy_credited"))
    signups, activities = [], []
    for a in rows:
        if a["xy_status"] is None:
            activities.append(a)
            continue
        signups.append({  # as _many_peoples reads a sign-up (_planned, in Python)
            "activity_id": a["pk"], "status": a["xy_status"], "xy_credited": a["xy_credited"],
            "xy_planned": (a["xy_status"] == Signup.Status.CONFIRMED
                           and a["kind"] == ServiceKind.PUBLIC_WELFARE
                           and start <= a["starts_at"] < after and not a["xy_no_show"]),
            "activity__starts_at": a["starts_at"], "activity__ends_at": a["ends_at"],
            "activity__hours": a["hours"]})
    return {pk: signups}, activities


def _with_targets(found, *, now, orders_read=False) -> list[tuple[Supervisee, MonthTarget]]:
    if not found:
        return []
    if not orders_read:
        _read_orders(found)
    today = timezone.localdate(now)
    first, start, after = month_span(now)
    terms = {p.pk: OfferTerms.of(p, today) for p in found}
    paths = sorted({path for t in terms.values() for path in (t.public_welfare_paths or ())})
    candidate = Q(kind=ServiceKind.PUBLIC_WELFARE, status=Activity.Status.PUBLISHED,
                  signup_deadline__gte=now, signup_deadline__lte=LATEST, starts_at__lt=after,
                  places_taken__lt=F("capacity"), unit__path__in=paths) if paths else None
    if len(found) == 1:
        signups, activities = _one_persons(found[0].pk, candidate, start, after)
    else:
        signups, activities = _many_peoples([p.pk for p in found], candidate, start, after)
    out = []
    for person in found:
        mine = signups.get(person.pk, [])
        taken = {s["activity_id"] for s in mine}
        busy = [(s["activity__starts_at"], s["activity__ends_at"]) for s in mine
                if s["status"] == Signup.Status.CONFIRMED]
        open_to = [a for a in activities
                   if a["pk"] not in taken and offered(terms[person.pk], a)
                   and not any(s < a["ends_at"] and e > a["starts_at"] for s, e in busy)]
        target = getattr(person, "xy_target", None)
        pw = getattr(person, "xy_pw", None) or ZERO
        confirmed = getattr(person, "xy_pw_confirmed", None) or ZERO
        out.append((person, MonthTarget(
            month=first, target=target, confirmed=confirmed, waiting=pw - confirmed,
            signed_up=sum((s["activity__hours"] for s in mine
                           if s["xy_planned"] and not s["xy_credited"]), ZERO),
            volunteer=getattr(person, "xy_vs", None) or ZERO,
            expected=pro_rata(target, today),
            days_left=(after.date() - today).days,
            open_hours=_most_hours(open_to), open_activities=len(open_to))))
    return out
