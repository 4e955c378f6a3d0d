"""What a person's own matches page (/jobs/me/, and the API's /me/matches) reads of them,
as two kept statements (portal/ops/prepared.py) sent to the database together: the
record, carrying in its one row (as JSON lists) the facts matching needs
(selectors.people_facts), the districts of their county, the open training places near
them with their skills and their employer-profile consent; and their applications. One
round trip instead of about twenty.

selectors.people_facts stays the rule: tests/employment/test_mine.py holds the facts,
districts and training places read here equal to it (and to relevance_q/exclusion_q and
matching.rank) for every kind of person."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Aggregate, F, OuterRef, Q, Subquery, TextField
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


class _JsonList(Aggregate):
    """A group's values as a JSON array: JSON_GROUP_ARRAY on SQLite (text), JSON_AGG on
    PostgreSQL (a list, decoded by psycopg). With several expressions, each value is
    an array of them."""

    function = "JSON_GROUP_ARRAY"
    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        row = "JSON_ARRAY(%(expressions)s)" if len(self.source_expressions) > 1 else (
            "%(expressions)s")
        return super().as_sql(compiler, connection,
                              template="%(function)s(" + row + ")", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # json, which psycopg hands over decoded (Django decodes only jsonb itself).
        row = ("JSON_BUILD_ARRAY(%(expressions)s)" if len(self.source_expressions) > 1
               else "%(expressions)s")
        return super(Aggregate, self).as_sql(
            compiler, connection, function="JSON_AGG",
            template="%(function)s(" + row + ")", **extra_context)


def _json_rows(qs, *columns, key: str = "supervisee_id") -> Subquery:
    """The rows of `qs` (filtered by the person's `key`, an OuterRef) as one JSON text: a
    list of `columns` (of values, with one column), NULL when there is none."""
    return Subquery(qs.order_by().values(key).annotate(
        r=_JsonList(*columns)).values("r"), output_field=TextField())


@prepared
def _me(supervisee_id: int, today: datetime.date, now: datetime.datetime,
        until: datetime.datetime):
    """The person's record with everything matching needs of them in its one row (the
    small lists as JSON): the home district's name, the county, the latest
    employer-profile decision (selectors.employer_consent_given), the job profile, the
    skills on the record and in the profile, the active occupational bans and
    prohibition orders, the travel approvals that have not ended, the booked classes
    before `until`, the districts of the person's county (selectors.people_facts reads
    the same) and the open training places near them (_training_near)."""
    from courses.models import ClassSession, SessionSignup
    from portal.people.models import (
        Consent,
        OccupationalBan,
        ProhibitionOrder,
        Supervisee,
        TravelApproval,
    )
    from portal.taxonomy.models import District

    from .models import JobProfile

    consent = (Consent.objects.filter(supervisee_id=OuterRef("pk"),
                                      kind=Consent.Kind.EMPLOYER_PROFILE)
               .order_by("-recorded_at", "-pk").values("granted")[:1])
    record_skills = Supervisee.skills.through.objects.filter(supervisee_id=OuterRef("pk"))
    profile = {"jobprofile_id": OuterRef("job_profile__id")}
    profile_skills = JobProfile.skills.through.objects.filter(**profile)
    preferred = JobProfile.preferred_districts.through.objects.filter(**profile)
    bans = OccupationalBan.objects.filter(_active(today), supervisee_id=OuterRef("pk"))
    orders = ProhibitionOrder.objects.filter(_active(today), supervisee_id=OuterRef("pk"))
    trips = TravelApproval.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today),
                                          supervisee_id=OuterRef("pk"))
    busy = SessionSignup.objects.filter(
        supervisee_id=OuterRef("pk"), status=SessionSignup.Status.CONFIRMED,
        session__status=ClassSession.Status.SCHEDULED,
        session__starts_at__gte=now, session__starts_at__lt=until)
    # The area the person may work in: the home district's county, else the unit's
    # district's (a county of "" is none: load() reads no districts then).
    county = Coalesce("home_district__county", "unit__district__county")
    districts = Subquery(
        District.objects.filter(county=OuterRef("xy_county")).order_by()
        .values("county").annotate(r=_JsonList("pk")).values("r"),
        output_field=TextField())
    # The record alone, with the name of the home district and the county: the account
    # is the user asking (load() puts it in), and the unit and the home district are
    # read when asked for (no page of the person's own does).
    return Supervisee.objects.filter(pk=supervisee_id).order_by().annotate(
        xy_home=F("home_district__name"), xy_county=county, xy_consent=Subquery(consent),
        xy_profile=F("job_profile__id"), xy_shifts=F("job_profile__preferred_shifts"),
        xy_hours=F("job_profile__max_hours_per_week"),
        xy_weekday=F("job_profile__reporting_weekday"),
        xy_period=F("job_profile__reporting_period"),
        xy_pref=_json_rows(preferred, "district_id", key="jobprofile_id"),
        xy_skills=_json_rows(record_skills, "skill_id"),
        xy_jskills=_json_rows(profile_skills, "skill_id", key="jobprofile_id"),
        xy_bans=_json_rows(bans, "industry_id", "industry__name"),
        xy_orders=_json_rows(orders, "venue_type_id", "venue_type__name", "district_id",
                             "district__name"),
        xy_travel=_json_rows(trips, "destination_id", "destination__name", "starts_on",
                             "ends_on", "pk"),
        xy_busy=_json_rows(busy, "session__starts_at"),
        xy_area=districts,
        xy_training=_training_near(today))


def _training_near(today):
    """The open training places in the person's county and where a travel approval that
    has not ended takes them (selectors.relevance_q), as one JSON list in the person's
    row: a row each, its skills a list in its last column; matching.rank applies every
    exclusion itself."""
    from portal.people.models import TravelApproval

    from .models import TrainingPlace
    from .selectors import _COMMON

    # One level down from the person's row: the person is OuterRef(OuterRef(...)).
    destinations = TravelApproval.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        supervisee_id=OuterRef(OuterRef("pk"))).values("destination_id")
    skills = TrainingPlace.skills.through.objects.filter(
        trainingplace_id=OuterRef("pk")).order_by().values("trainingplace_id").annotate(
        r=_JsonList("skill_id")).values("r")
    near = TrainingPlace.objects.filter(
        (Q(district__county=OuterRef("xy_county")) & ~Q(district__county=""))
        | Q(district_id__in=destinations),
        status=TrainingPlace.Status.OPEN).annotate(
        xy_skills=Subquery(skills, output_field=TextField()))
    return _json_rows(near, "id", "programme", *_COMMON[1:], "starts_on", "ends_on",
                      "xy_skills", key="status")


@prepared
def _applications(supervisee_id: int):
    """The applications, with what the page says of their opening (its title: the
    application's `opening`); the rest of the job or training place is read if asked
    for."""
    from .models import Application

    own = [f.name for f in Application._meta.concrete_fields]
    return Application.objects.filter(supervisee_id=supervisee_id).select_related(
        "job", "training_place").only(*own, "job__title", "training_place__programme").order_by(
        "-updated_at", "-pk")


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

    from .models import TrainingPlace
    from .selectors import COURSE_HORIZON, _flatten, _period_of, facts_of

    supervisee_id = actor_for(user).supervisee_id
    if supervisee_id is None:
        return None
    today = today or timezone.localdate()
    now = now or timezone.now()
    dated = {"supervisee_id": supervisee_id, "today": today}
    calls = [(_me, {**dated, "now": now, "until": now + COURSE_HORIZON}),
             (_applications, {"supervisee_id": supervisee_id})]
    with ahead(*calls):
        me, applications = [query(**values) for query, values in calls]
    if not me:
        raise Supervisee.DoesNotExist(f"No supervisee {supervisee_id}")
    person = me[0]
    person.user = user  # as person_row reads it with the record
    if getattr(user, "_xy_employment_person", None) is None:
        user._xy_employment_person = person  # as selectors.person_for keeps it
    home = _Home(person.xy_home) if person.home_district_id else None
    county = person.xy_county or ""
    trips: dict = defaultdict(list)
    names = {}
    for district_id, name, starts_on, ends_on, _pk in sorted(
            _rows(person.xy_travel), key=lambda row: (row[2], row[4])):
        trips[district_id].append((_date(starts_on), _date(ends_on)))
        names[district_id] = name
    venues, districts = {}, {}
    for venue_id, venue, district_id, district in _rows(person.xy_orders):
        if venue_id:
            venues[venue_id] = venue
        if district_id:
            districts[district_id] = district
    reporting = None
    weekday, period = person.xy_weekday, person.xy_period
    if weekday and period:
        reporting = (weekday, period)
    busy = frozenset((local.isoweekday(), _period_of(local))
                     for local in map(_local_moment, _rows(person.xy_busy)))
    facts = facts_of(
        person, today, home=home, county=county,
        skills=frozenset(_rows(person.xy_skills)) | frozenset(_rows(person.xy_jskills)),
        banned_industries=dict(_rows(person.xy_bans)),
        prohibited_venues=venues,
        prohibited_districts=districts,
        travel={d: (names[d], tuple(periods)) for d, periods in trips.items()},
        preferred_districts=frozenset(_rows(person.xy_pref)),
        preferred_shifts=frozenset(person.xy_shifts or ()),
        max_hours=person.xy_hours,
        reporting=reporting,
        busy=busy,
    )
    by_place, places = {}, []
    for row in _rows(person.xy_training):
        # id, programme, _COMMON's columns from the organisation on (juveniles_allowed
        # the 14th), the course's dates and the skills.
        row[14] = bool(row[14])
        row[16], row[17] = _date(row[16]), _date(row[17])
        skills = row.pop()
        if skills:
            by_place[row[0]] = _rows(skills)
        places.append(row)
    return Mine(person=person, facts=facts,
                county_districts=sorted(_rows(person.xy_area)) if county else [],
                training=_flatten(TrainingPlace, places, by_place),
                applications=applications, has_profile=person.xy_profile is not None,
                consent=bool(person.xy_consent))


class _Home(NamedTuple):
    """What facts_of reads of the home district."""

    name: str


def _rows(found) -> list:
    """A JSON list that _me read: decoded already (PostgreSQL), as text (SQLite), or
    None (no rows)."""
    if found is None:
        return []
    return json.loads(found) if isinstance(found, str) else found


def _date(value) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _local_moment(value: str) -> datetime.datetime:
    """A moment as the JSON of either database writes it (PostgreSQL with its offset,
    SQLite in UTC without one), in the local time zone."""
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return timezone.localtime(moment)


def training_matches(mine: Mine, names) -> list[matching.Assessment]:
    return matching.rank(mine.facts, mine.training, names).matches
