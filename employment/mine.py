"""What a person's own matches page (/jobs/me/, and the API's /me/matches) reads of them,
as kept statements (portal/ops/prepared.py) sent to the database together: the record,
the facts matching needs (selectors.people_facts), the districts of their county, the
open training places near them with their skills, their applications and their
employer-profile consent, in one round trip instead of about twenty.

selectors.people_facts stays the rule: tests/employment/test_mine.py holds the facts,
districts and training places read here equal to it (and to relevance_q/exclusion_q and
matching.rank) for every kind of person."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.ops.prepared import ahead, prepared

from . import matching
from .matching import Opening, PersonFacts


def _active(today):
    return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))


@prepared
def person_row(supervisee_id: int):
    """The person's record as selectors.person_for reads it."""
    from portal.people.models import Supervisee

    return Supervisee.objects.select_related("unit", "home_district", "user").filter(
        pk=supervisee_id)


@prepared
def _me(supervisee_id: int):
    """person_row with the county of the unit's district and the latest employer-profile
    decision (selectors.employer_consent_given)."""
    from portal.people.models import Consent

    consent = (Consent.objects.filter(supervisee_id=OuterRef("pk"),
                                      kind=Consent.Kind.EMPLOYER_PROFILE)
               .order_by("-recorded_at", "-pk").values("granted")[:1])
    return person_row.build(supervisee_id).annotate(
        xy_unit_county=F("unit__district__county"), xy_consent=Subquery(consent))


@prepared
def _skills(supervisee_id: int):
    """The skills on the record and in the job profile."""
    from portal.people.models import Supervisee
    from portal.taxonomy.models import Skill

    from .models import JobProfile

    record = Supervisee.skills.through.objects.filter(supervisee_id=supervisee_id)
    profile = JobProfile.skills.through.objects.filter(jobprofile__supervisee_id=supervisee_id)
    return Skill.objects.filter(Q(pk__in=record.values("skill_id"))
                                | Q(pk__in=profile.values("skill_id"))).order_by().values_list(
        "pk", flat=True)


@prepared
def _profile(supervisee_id: int):
    """The job profile, a row per preferred district (one with None when there is none)."""
    from .models import JobProfile

    return JobProfile.objects.filter(supervisee_id=supervisee_id).values_list(
        "preferred_shifts", "max_hours_per_week", "reporting_weekday", "reporting_period",
        "preferred_districts")


@prepared
def _bans(supervisee_id: int, today: datetime.date):
    from portal.people.models import OccupationalBan

    return OccupationalBan.objects.filter(_active(today), supervisee_id=supervisee_id).values_list(
        "industry_id", "industry__name")


@prepared
def _orders(supervisee_id: int, today: datetime.date):
    from portal.people.models import ProhibitionOrder

    return ProhibitionOrder.objects.filter(_active(today), supervisee_id=supervisee_id).values_list(
        "venue_type_id", "venue_type__name", "district_id", "district__name")


def _trips(supervisee_id, today):
    from portal.people.models import TravelApproval

    return TravelApproval.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today),
                                         supervisee_id=supervisee_id)


@prepared
def _travel(supervisee_id: int, today: datetime.date):
    return _trips(supervisee_id, today).order_by("starts_on", "pk").values_list(
        "destination_id", "destination__name", "starts_on", "ends_on")


@prepared
def _busy(supervisee_id: int, now: datetime.datetime, until: datetime.datetime):
    from courses.models import ClassSession, SessionSignup

    return SessionSignup.objects.filter(
        supervisee_id=supervisee_id, status=SessionSignup.Status.CONFIRMED,
        session__status=ClassSession.Status.SCHEDULED,
        session__starts_at__gte=now, session__starts_at__lt=until,
    ).values_list("session__starts_at", flat=True)


def _county_of(supervisee_id):
    """The person's county (the home district's, else the unit's district's), as a
    subquery: the area they may work in."""
    from portal.people.models import Supervisee

    person = Supervisee.objects.filter(pk=supervisee_id)
    return Coalesce(Subquery(person.values("home_district__county")[:1]),
                    Subquery(person.values("unit__district__county")[:1]))


def _county_districts_of(supervisee_id):
    from portal.taxonomy.models import District

    return District.objects.filter(county=_county_of(supervisee_id)).exclude(county="")


@prepared
def _county_districts(supervisee_id: int):
    return _county_districts_of(supervisee_id).values_list("pk", flat=True)


def _training_near(supervisee_id, today):
    """The open training places in the person's county and where a travel approval that
    has not ended takes them (selectors.relevance_q); matching.rank applies every
    exclusion itself."""
    from .models import TrainingPlace

    return TrainingPlace.objects.filter(
        Q(district_id__in=_county_districts_of(supervisee_id).values("pk"))
        | Q(district_id__in=_trips(supervisee_id, today).values("destination_id")),
        status=TrainingPlace.Status.OPEN).order_by()


@prepared
def _training(supervisee_id: int, today: datetime.date):
    """The training places near, a row per skill (one with None when there is none)."""
    from .selectors import _COMMON

    return _training_near(supervisee_id, today).values_list(
        "id", "programme", *_COMMON[1:], "starts_on", "ends_on", "skills")


@prepared
def _applications(supervisee_id: int):
    from .models import Application

    return Application.objects.filter(supervisee_id=supervisee_id).select_related(
        "job", "training_place").order_by("-updated_at", "-pk")



@dataclass
class Mine:
    """What the person's matches page shows besides the matches, and what ranking them
    needs."""

    person: object
    facts: PersonFacts
    county_districts: list[int]
    training: list[Opening]
    applications: list  # Application instances (job and training place with them)
    has_profile: bool
    consent: bool


def load(user, *, today: datetime.date | None = None,
         now: datetime.datetime | None = None) -> Mine | None:
    """The person's reads in one round trip; None when the user is no person."""
    from portal.access import actor_for
    from portal.people.models import Supervisee

    from .selectors import COURSE_HORIZON, _period_of

    supervisee_id = actor_for(user).supervisee_id
    if supervisee_id is None:
        return None
    today = today or timezone.localdate()
    now = now or timezone.now()
    sid = {"supervisee_id": supervisee_id}
    dated = {"supervisee_id": supervisee_id, "today": today}
    calls = [(_me, sid), (_skills, sid), (_profile, sid), (_bans, dated), (_orders, dated),
             (_travel, dated),
             (_busy, {"supervisee_id": supervisee_id, "now": now,
                      "until": now + COURSE_HORIZON}),
             (_county_districts, sid), (_training, dated), (_applications, sid)]
    with ahead(*calls):
        found = [query(**values) for query, values in calls]
    (me, skills, profile, bans, orders, travel, busy, county_districts, training,
     applications) = found
    if not me:
        raise Supervisee.DoesNotExist(f"No supervisee {supervisee_id}")
    person = me[0]
    if getattr(user, "_xy_employment_person", None) is None:
        user._xy_employment_person = person  # as selectors.person_for keeps it
    home = person.home_district if person.home_district_id else None
    county = (home.county if home else person.xy_unit_county) or ""
    trips: dict = defaultdict(list)
    names = {}
    for district_id, name, starts_on, ends_on in travel:
        trips[district_id].append((starts_on, ends_on))
        names[district_id] = name
    venues, districts = {}, {}
    for venue_id, venue, district_id, district in orders:
        if venue_id:
            venues[venue_id] = venue
        if district_id:
            districts[district_id] = district
    reporting = None
    shifts, max_hours = frozenset(), None
    preferred = frozenset(row[4] for row in profile if row[4] is not None)
    if profile:
        preferred_shifts, max_hours, weekday, period, _district = profile[0]
        shifts = frozenset(preferred_shifts or ())
        if weekday and period:
            reporting = (weekday, period)
    from .selectors import facts_of

    facts = facts_of(
        person, today, home=home, county=county,
        skills=frozenset(skills),
        banned_industries=dict(bans),
        prohibited_venues=venues,
        prohibited_districts=districts,
        travel={d: (names[d], tuple(periods)) for d, periods in trips.items()},
        preferred_districts=preferred,
        preferred_shifts=shifts,
        max_hours=max_hours,
        reporting=reporting,
        busy=frozenset((timezone.localtime(at).isoweekday(), _period_of(at)) for at in busy),
    )
    from .models import TrainingPlace
    from .selectors import _flatten

    by_place, places = defaultdict(set), {}
    for row in training:
        places.setdefault(row[0], row[:-1])
        if row[-1] is not None:
            by_place[row[0]].add(row[-1])
    return Mine(person=person, facts=facts,
                county_districts=list(county_districts) if county else [],
                training=_flatten(TrainingPlace, places.values(), by_place),
                applications=applications, has_profile=bool(profile),
                consent=bool(person.xy_consent))


def training_matches(mine: Mine, names) -> list[matching.Assessment]:
    return matching.rank(mine.facts, mine.training, names).matches
