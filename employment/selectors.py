"""Reads for employment help. Each takes the acting user (or the person) and builds on
portal.access, which decides who may see what:

- A person (supervisee record) sees the open jobs and training places that are a match for
  them (employment.matching: never one an occupational ban, a prohibition order, their age
  or the travel limit excludes) and the ones they applied to; anything else is 404.
- Unit staff (caseworkers, unit administrators, superusers) see every opening, and the
  employment page of the people portal.access.supervisees_visible_to gives them, including
  why an opening is excluded for that person; the read is logged.
- Enterprise staff manage their own organisation's openings (another enterprise's id is
  404) and see a person only as a candidate for one of their jobs: someone whose
  EMPLOYER_PROFILE consent is given and for whom the job is a match (never a juvenile, never
  a sealed file), or someone who applied or agreed to a recommendation. They see a display
  name (portal.access.display_name_for_partner), skills and districts; never the offence,
  the correction status or the level.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Aggregate,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, JSONArray
from django.http import Http404
from django.utils import timezone

from portal.access import (
    Role,
    actor_for,
    display_name_for_partner,
    staff_scope,
    supervisees_in_scope,
    supervisees_visible_to,
)
from portal.organisations.models import Membership, Organisation
from portal.people.models import Consent, Supervisee
from portal.taxonomy.models import District, Skill

from . import matching
from .matching import Opening, PersonFacts, Ranking
from .models import (
    ACTIVE_STATUSES,
    ENTERPRISE,
    Application,
    ApplicationStatus,
    FollowUp,
    HelpAgreement,
    Job,
    JobProfile,
    Placement,
    TrainingBase,
    TrainingEnrolment,
    TrainingPlace,
    weekday_set,
)

COURSE_HORIZON = datetime.timedelta(weeks=8)
OPEN = str(Job.Status.OPEN)


# --- Who is who ----------------------------------------------------------------------------

def person_for(user) -> Supervisee | None:
    """The signed-in person's own record (kept on the user for the request), or None."""
    cached = getattr(user, "_xy_employment_person", None)
    if cached is not None:
        return cached
    supervisee_id = actor_for(user).supervisee_id
    if supervisee_id is None:
        return None
    person = Supervisee.objects.select_related("unit", "home_district", "user").get(
        pk=supervisee_id)
    user._xy_employment_person = person
    return person


def is_unit_staff(user) -> bool:
    return actor_for(user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER)


def enterprises_for(user) -> list[Organisation]:
    """Enterprises whose jobs and training places this user manages."""
    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return list(Organisation.objects.filter(kind=ENTERPRISE, is_active=True))
    return [o for o in actor.organisations if o.kind == ENTERPRISE]


def is_enterprise_staff(user) -> bool:
    return bool(enterprises_for(user))


def _enterprise_ids(user) -> list[int]:
    return [o.pk for o in enterprises_for(user)]


def enterprise_recipients(organisation_id: int) -> QuerySet:
    """Who hears about an enterprise's applications: its active staff."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        is_active=True, memberships__organisation_id=organisation_id,
        memberships__role__in=Membership.PARTNER_ROLES).distinct()


# --- Openings managed by an enterprise ------------------------------------------------------

def jobs_managed_by(user) -> QuerySet:
    return Job.objects.filter(organisation_id__in=_enterprise_ids(user))


def training_places_managed_by(user) -> QuerySet:
    return TrainingPlace.objects.filter(organisation_id__in=_enterprise_ids(user))


def training_bases_for(user) -> QuerySet:
    return TrainingBase.objects.filter(organisation_id__in=_enterprise_ids(user),
                                       is_active=True).select_related("district")


def training_base_for_manager(user, pk) -> TrainingBase:
    """One of the user's enterprise's training bases (inactive ones too); else 404."""
    return _get_or_404(TrainingBase.objects.filter(organisation_id__in=_enterprise_ids(user))
                       .select_related("organisation", "district"), pk)


def _get_or_404(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def job_for_manager(user, pk) -> Job:
    """One of the user's enterprise's jobs; another enterprise's is 404 like a missing one."""
    return _get_or_404(jobs_managed_by(user).select_related(
        "organisation", "industry", "district", "venue_type").prefetch_related("skills"), pk)


def training_place_for_manager(user, pk) -> TrainingPlace:
    return _get_or_404(training_places_managed_by(user).select_related(
        "organisation", "base", "industry", "district", "venue_type")
        .prefetch_related("skills"), pk)


def enterprise_overview(user) -> dict:
    """The enterprise's page: its openings with application counts, agreements, bases."""
    org_ids = _enterprise_ids(user)
    live = Q(applications__shared_with__isnull=False)
    active = live & Q(applications__status__in=ACTIVE_STATUSES)
    jobs = list(
        Job.objects.filter(organisation_id__in=org_ids)
        .select_related("organisation", "district", "industry")
        .annotate(n_applications=Count("applications", filter=live, distinct=True),
                  n_active=Count("applications", filter=active, distinct=True))
        .order_by("status", "-created_at", "-pk"))
    places = list(
        TrainingPlace.objects.filter(organisation_id__in=org_ids)
        .select_related("organisation", "base", "district")
        .annotate(n_applications=Count("applications", filter=live, distinct=True),
                  n_active=Count("applications", filter=active, distinct=True))
        .order_by("status", "starts_on", "pk"))
    today = timezone.localdate()
    agreements = list(HelpAgreement.objects.filter(organisation_id__in=org_ids)
                      .select_related("organisation", "unit"))
    for agreement in agreements:
        agreement.current = agreement.is_current(today)
    return {
        "enterprises": enterprises_for(user),
        "jobs": jobs,
        "training_places": places,
        "agreements": agreements,
        "bases": list(TrainingBase.objects.filter(organisation_id__in=org_ids)
                      .select_related("district")),
        "applications": list(
            applications_visible_to(user)
            .filter(status__in=ACTIVE_STATUSES)
            .select_related("supervisee", "job", "training_place")
            .order_by("-updated_at", "-pk")[:50]),
    }


# --- The facts matching needs -----------------------------------------------------------

def _age(birth: datetime.date | None, today: datetime.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _period_of(moment: datetime.datetime) -> str:
    hour = timezone.localtime(moment).hour
    if 6 <= hour < 12:
        return "morning"
    if 12 <= hour < 18:
        return "afternoon"
    if 18 <= hour < 22:
        return "evening"
    return "night"


class JSONList(Aggregate):
    """The group's values as a JSON list, on SQLite and PostgreSQL alike."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def _listed(qs: QuerySet, *columns, key: str) -> Subquery:
    """The rows of `qs` for the outer row's `key` as one JSON list (of lists, with several
    columns); NULL when there is none."""
    value = JSONArray(*columns) if len(columns) > 1 else F(columns[0])
    return Subquery(qs.order_by().values(key).annotate(xy_list=JSONList(value))
                    .values("xy_list"), output_field=JSONField())


def _active_on(today: datetime.date) -> Q:
    return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def with_facts(people: QuerySet, *, today: datetime.date, now: datetime.datetime) -> QuerySet:
    """`people` with everything matching needs of each in their row (facts_from reads it):
    one statement, whatever their number."""
    from courses.models import ClassSession, SessionSignup
    from portal.people.models import OccupationalBan, ProhibitionOrder, TravelApproval

    mine = {"supervisee_id": OuterRef("pk")}
    profile = {"jobprofile_id": OuterRef("job_profile__id")}
    trips = TravelApproval.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today),
                                          **mine)
    busy = SessionSignup.objects.filter(
        status=SessionSignup.Status.CONFIRMED, session__status=ClassSession.Status.SCHEDULED,
        session__starts_at__gte=now, session__starts_at__lt=now + COURSE_HORIZON, **mine)
    return people.annotate(
        xy_home=F("home_district__name"),
        xy_county=Coalesce("home_district__county", "unit__district__county"),
        xy_profile=F("job_profile__id"), xy_shifts=F("job_profile__preferred_shifts"),
        xy_hours=F("job_profile__max_hours_per_week"),
        xy_weekday=F("job_profile__reporting_weekday"),
        xy_period=F("job_profile__reporting_period"),
        xy_skills=_listed(Supervisee.skills.through.objects.filter(**mine), "skill_id",
                          key="supervisee_id"),
        xy_profile_skills=_listed(JobProfile.skills.through.objects.filter(**profile),
                                  "skill_id", key="jobprofile_id"),
        xy_preferred=_listed(JobProfile.preferred_districts.through.objects.filter(**profile),
                             "district_id", key="jobprofile_id"),
        xy_bans=_listed(OccupationalBan.objects.filter(_active_on(today), **mine),
                        "industry_id", "industry__name", key="supervisee_id"),
        xy_orders=_listed(ProhibitionOrder.objects.filter(_active_on(today), **mine),
                          "venue_type_id", "venue_type__name", "district_id",
                          "district__name", key="supervisee_id"),
        xy_travel=_listed(trips, "destination_id", "destination__name", "starts_on",
                          "ends_on", "pk", key="supervisee_id"),
        xy_busy=_listed(busy, "session__starts_at", key="supervisee_id"),
    )


def _date(value) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _local_moment(value: str) -> datetime.datetime:
    """A moment as either database writes it in JSON (PostgreSQL with its offset, SQLite
    in UTC without one), in the local time zone."""
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return timezone.localtime(moment)


def facts_from(person, today: datetime.date) -> PersonFacts:
    """PersonFacts of a person read through with_facts."""
    trips: dict = defaultdict(list)
    names = {}
    for district_id, name, starts_on, ends_on, _pk in sorted(
            person.xy_travel or (), key=lambda row: (row[2], row[4])):
        trips[district_id].append((_date(starts_on), _date(ends_on)))
        names[district_id] = name
    venues, districts = {}, {}
    for venue_id, venue, district_id, district in person.xy_orders or ():
        if venue_id:
            venues[venue_id] = venue
        if district_id:
            districts[district_id] = district
    reporting = None
    if person.xy_weekday and person.xy_period:
        reporting = (person.xy_weekday, person.xy_period)
    return PersonFacts(
        supervisee_id=person.pk,
        help_open=person.status != Supervisee.Status.CLOSED,
        in_correction=person.status == Supervisee.Status.IN_CORRECTION,
        is_juvenile=person.is_juvenile,
        age=_age(person.birth_date, today),
        home_district_id=person.home_district_id,
        home_district=(person.xy_home or "") if person.home_district_id else "",
        county=person.xy_county or "",
        today=today,
        term_end=person.term_end,
        skills=frozenset(person.xy_skills or ()) | frozenset(person.xy_profile_skills or ()),
        banned_industries=dict(person.xy_bans or ()),
        prohibited_venues=venues,
        prohibited_districts=districts,
        travel={d: (names[d], tuple(periods)) for d, periods in trips.items()},
        preferred_districts=frozenset(person.xy_preferred or ()),
        preferred_shifts=frozenset(person.xy_shifts or ()),
        max_hours=person.xy_hours,
        reporting=reporting,
        busy=frozenset((moment.isoweekday(), _period_of(moment))
                       for moment in map(_local_moment, person.xy_busy or ())),
    )


def people_facts(people, *, today: datetime.date | None = None) -> dict[int, PersonFacts]:
    """PersonFacts for each of `people` (Supervisee records or their ids), in one
    statement."""
    today = today or timezone.localdate()
    ids = [getattr(p, "pk", p) for p in people]
    if not ids:
        return {}
    rows = with_facts(Supervisee.objects.filter(pk__in=ids), today=today, now=timezone.now())
    return {row.pk: facts_from(row, today) for row in rows}


def person_facts(supervisee: Supervisee, *, today=None) -> PersonFacts:
    return people_facts([supervisee], today=today)[supervisee.pk]


# --- Openings, flattened for matching --------------------------------------------------------

_COMMON = ("id", "organisation_id", "organisation__name", "industry_id", "industry__name",
           "district_id", "district__name", "district__county", "venue_type_id",
           "venue_type__name", "shift", "work_days", "hours_per_week", "juveniles_allowed",
           "status")


def _lineage_paths(unit) -> list[str]:
    return [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]


def relevance_q(facts: PersonFacts, supervisee: Supervisee, *,
                with_partners: bool = False) -> Q:
    """The open openings worth assessing for a person: in their county and where a travel
    approval takes them; `with_partners` adds those of the enterprises partnering the
    person's units, so staff also see why those elsewhere are excluded."""
    return Q(status=Job.Status.OPEN) & _near_q(
        {facts.county} if facts.county else set(), set(facts.travel),
        set(_lineage_paths(supervisee.unit)) if with_partners else set())


def _near_q(counties: set, destinations: set, unit_paths: set = frozenset()) -> Q:
    # Districts and partners as subqueries over small tables: the openings are then
    # reached through their (status, district) index.
    districts = District.objects.filter(Q(county__in=counties) | Q(pk__in=destinations))
    q = Q(district_id__in=districts.values("pk"))
    if unit_paths:
        partners = Organisation.objects.filter(partner_unit__path__in=unit_paths)
        q |= Q(organisation_id__in=partners.values("pk"))
    return q


def exclusion_q(facts: PersonFacts) -> Q:
    """The exclusions the law sets that need no dates, as a filter: a banned industry, a
    prohibited kind of place or district, adult-only openings for a juvenile."""
    q = Q()
    if facts.banned_industries:
        q &= ~Q(industry_id__in=sorted(facts.banned_industries))
    if facts.prohibited_venues:
        q &= ~Q(venue_type_id__in=sorted(facts.prohibited_venues))
    if facts.prohibited_districts:
        q &= ~Q(district_id__in=sorted(facts.prohibited_districts))
    if facts.is_juvenile:
        q &= Q(juveniles_allowed=True)
    return q


def _own_openings(facts: PersonFacts) -> tuple[list[Opening], dict[int, str]]:
    """The open openings the person may take as far as the database can tell: the law's
    exclusions and the area (for jobs, the districts a travel approval covers for the rest
    of the term) filter here; matching.rank then checks the training places' dates."""
    if not facts.help_open:
        return [], {}
    counties = {facts.county} if facts.county else set()
    allowed = Q(status=Job.Status.OPEN) & exclusion_q(facts)
    found, names = openings(allowed & _near_q(counties, set(facts.travel)), jobs=False)
    if facts.is_juvenile and facts.age is not None and facts.age < 16:
        return found, names  # under 16: training only
    if facts.in_correction:
        destinations = matching.job_travel_districts(facts)
    else:
        destinations = set(facts.travel)
    if counties or destinations:
        jobs, job_names = openings(allowed & _near_q(counties, destinations), training=False)
        found += jobs
        names.update(job_names)
    return found, names


def openings(q: Q, *, jobs: bool = True,
             training: bool = True) -> tuple[list[Opening], dict[int, str]]:
    """Jobs and training places matching `q`, flattened with their skills (one statement
    per kind), and the names of those skills."""
    found, names = [], {}
    kinds = ([(Job, "title", "pay_min", "pay_max", "job_id")] if jobs else []) + (
        [(TrainingPlace, "programme", "starts_on", "ends_on", "trainingplace_id")]
        if training else [])
    for model, title, extra1, extra2, key in kinds:
        links = model.skills.through.objects.filter(**{key: OuterRef("pk")})
        rows = list(model.objects.filter(q).order_by().annotate(
            xy_skills=_listed(links, "skill_id", "skill__name", key=key)).values_list(
            "id", title, *_COMMON[1:], extra1, extra2, "xy_skills"))
        skills = {}
        for row in rows:
            if row[-1]:
                skills[row[0]] = frozenset(pair[0] for pair in row[-1])
                names.update((pair[0], pair[1]) for pair in row[-1])
        found += _flatten(model, [row[:-1] for row in rows], skills)
    return found, names


def _flatten(model, rows, skills) -> list[Opening]:
    kind = "job" if model is Job else "training"
    found = []
    for row in rows:
        (pk, title, org_id, org, industry_id, industry, district_id, district, county,
         venue_id, venue, shift, work_days, hours, juveniles, status, extra1, extra2) = row
        # The last two columns: a job's pay range, or a training course's dates.
        job = kind == "job"
        found.append(Opening(
            kind, pk, title, org_id, org, industry_id, industry, district_id, district, county,
            venue_id, venue or "", shift, weekday_set(work_days), hours, juveniles,
            status == OPEN, skills.get(pk, frozenset()),
            extra1 if job else None, extra2 if job else None,
            None if job else extra1, None if job else extra2,
        ))
    return found


def skill_names() -> dict[int, str]:
    return dict(Skill.objects.values_list("pk", "name"))


def ranking_for(supervisee: Supervisee, *, today=None, with_partners: bool = False) -> Ranking:
    """Every open opening near the person, assessed: matches ranked, exclusions apart.
    `with_partners` (staff pages) also reads the excluded ones and the partners' openings
    elsewhere, so staff see why; without it the law's exclusions filter in the database."""
    facts = person_facts(supervisee, today=today)
    if with_partners:
        found, names = openings(relevance_q(facts, supervisee, with_partners=True))
    else:
        found, names = _own_openings(facts)
    return matching.rank(facts, found, names)


def rankings_for(people: list[Supervisee], *, today=None) -> dict[int, Ranking]:
    """Rankings of many people at once (a caseload, a report), each as ranking_for gives
    it: the facts in one statement and the openings near any of them in one per kind."""
    people = list(people)
    facts = people_facts(people, today=today)
    if not facts:
        return {}
    counties = {f.county for f in facts.values() if f.county}
    destinations = {d for f in facts.values() for d in f.travel}
    found, names = openings(Q(status=Job.Status.OPEN) & _near_q(counties, destinations))
    result = {}
    for person in people:
        f = facts[person.pk]
        result[person.pk] = matching.rank(f, _own_openings_among(f, found), names)
    return result


def _own_openings_among(facts: PersonFacts, found: list[Opening]) -> list[Opening]:
    """_own_openings over openings read already."""
    if not facts.help_open:
        return []
    under_16 = facts.is_juvenile and facts.age is not None and facts.age < 16
    job_places = (matching.job_travel_districts(facts) if facts.in_correction
                  else set(facts.travel))
    own = []
    for o in found:
        if (o.industry_id in facts.banned_industries
                or (o.venue_type_id is not None and o.venue_type_id in facts.prohibited_venues)
                or o.district_id in facts.prohibited_districts
                or (facts.is_juvenile and not o.juveniles_allowed)):
            continue
        in_county = bool(facts.county) and o.county == facts.county
        if o.kind == "job":
            if under_16 or not (in_county or o.district_id in job_places):
                continue
        elif not (in_county or o.district_id in facts.travel):
            continue
        own.append(o)
    return own


def opening_assessment(supervisee: Supervisee, opening_obj) -> matching.Assessment:
    """One job or training place assessed for one person (applying, the detail page)."""
    model = type(opening_obj)
    [flat], names = openings(Q(pk=opening_obj.pk), jobs=model is Job,
                             training=model is TrainingPlace)
    return matching.assess(person_facts(supervisee), flat, names)


def _by_opening(applications) -> dict:
    return {(a.job_id and f"job:{a.job_id}") or f"training:{a.training_place_id}": a
            for a in applications}


@dataclass
class MatchRow:
    """A match as the person's page shows it."""

    assessment: matching.Assessment
    application: Application | None = None

    @property
    def opening(self) -> Opening:
        return self.assessment.opening


def matches_for_person(supervisee: Supervisee, *, today=None, facts: PersonFacts | None = None,
                       applications=None) -> list[MatchRow]:
    """The person's ranked matches (ranking_for's), each with their application if any;
    the reasons are worked out only for the rows read."""
    facts = facts or person_facts(supervisee, today=today)
    found, names = _own_openings(facts)
    if applications is None:
        applications = Application.objects.filter(supervisee=supervisee)
    mine = _by_opening(applications)
    return [MatchRow(a, mine.get(a.opening.key))
            for a in matching.rank(facts, found, names).matches]


@dataclass
class MyMatches:
    """The person's own matches page: their record, their matches and applications."""

    person: Supervisee
    rows: list[MatchRow]
    applications: list[Application]
    has_profile: bool
    consent: bool


def my_matches(user, *, today: datetime.date | None = None) -> MyMatches | None:
    """What the signed-in person's matches page shows; None when the user is no person."""
    supervisee_id = actor_for(user).supervisee_id
    if supervisee_id is None:
        return None
    today = today or timezone.localdate()
    person = with_facts(Supervisee.objects.filter(pk=supervisee_id), today=today,
                        now=timezone.now()).annotate(xy_consent=_employer_consent()).get()
    person.user = user
    applications = list(Application.objects.filter(supervisee_id=supervisee_id)
                        .select_related("job", "training_place").order_by("-updated_at", "-pk"))
    rows = matches_for_person(person, facts=facts_from(person, today),
                              applications=applications)
    return MyMatches(person=person, rows=rows, applications=applications,
                     has_profile=person.xy_profile is not None, consent=bool(person.xy_consent))


# --- One opening, as the user may see it -----------------------------------------------------

def _openings_visible(user, model) -> QuerySet:
    """Openings whose page the user may open. Raises PermissionDenied for roles with no
    business here (NGO staff, editors); a person gets the candidates, filtered further by
    matching in opening_for."""
    actor = actor_for(user)
    if is_unit_staff(user):
        return model.objects.all()
    if actor.supervisee_id is not None or is_enterprise_staff(user):
        return model.objects.all()
    raise PermissionDenied


def opening_for(user, model, pk):
    """A job or training place for its page, with the viewer's assessment when they are a
    person. 404 when not visible: another enterprise's opening for enterprise staff; for a
    person, one that is excluded for them (or closed) and that they never applied to."""
    qs = _openings_visible(user, model).select_related(
        "organisation", "industry", "district", "venue_type").prefetch_related("skills")
    if model is TrainingPlace:
        qs = qs.select_related("base")
    obj = _get_or_404(qs, pk)
    actor = actor_for(user)
    obj.assessment = None
    obj.my_application = None
    if is_unit_staff(user):
        return obj
    if is_enterprise_staff(user) and obj.organisation_id in _enterprise_ids(user):
        return obj
    person = person_for(user)
    if person is None or actor.has(Role.PARTNER_STAFF):
        raise Http404
    field = "job" if model is Job else "training_place"
    obj.my_application = Application.objects.filter(supervisee=person, **{field: obj}).first()
    assessment = opening_assessment(person, obj)
    if is_excluded_for_person(assessment) and obj.my_application is None:
        raise Http404
    obj.assessment = assessment
    return obj


def is_excluded_for_person(assessment: matching.Assessment) -> bool:
    """Excluded by the law or the person's circumstances. A closed opening alone is not: the
    person may open its page (and is told it is closed, 409 when applying); an opening that
    is both excluded and closed stays 404, so nothing about it leaks."""
    if not assessment.excluded:
        return False
    return any(r.code != "closed" for r in assessment.reasons)


# --- Applications -------------------------------------------------------------------------

def applications_visible_to(user) -> QuerySet:
    """A person: their own. Unit staff: those of the people they may see. Enterprise staff:
    those shared with their organisation (applied, or agreed after a recommendation)."""
    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return Application.objects.all()
    q = Q(pk__in=[])
    if actor.has(Role.CASEWORKER, Role.UNIT_ADMIN):
        q |= Q(supervisee__in=supervisees_visible_to(user).values("pk"))
    org_ids = _enterprise_ids(user)
    if org_ids:
        q |= Q(shared_with_id__in=org_ids)
    if actor.supervisee_id is not None:
        q |= Q(supervisee_id=actor.supervisee_id)
    return Application.objects.filter(q)


def application_for(user, pk) -> Application:
    return _get_or_404(
        applications_visible_to(user).select_related(
            "supervisee__home_district", "supervisee__unit", "job__organisation",
            "job__district", "training_place__organisation", "training_place__district",
            "organisation", "recommended_by"),
        pk)


def own_application(supervisee: Supervisee, pk) -> Application:
    """One of the person's own applications; anyone else's is 404."""
    return _get_or_404(Application.objects.filter(supervisee=supervisee), pk)


def follow_up_for_staff(user, pk) -> FollowUp:
    """A follow-up of a placement of someone this staff member may see; else 404."""
    if not is_unit_staff(user):
        raise PermissionDenied
    return _get_or_404(
        FollowUp.objects.filter(placement__supervisee__in=supervisees_visible_to(user)
                                .values("pk")).select_related("placement"), pk)


def application_history(application: Application, role: str = "staff") -> list:
    """The status changes, as `role` may read them. An enterprise sees the application from
    the moment it was shared with it, and only its own staff's notes and names: not that a
    caseworker recommended it, nor what the caseworker wrote."""
    changes = list(application.history.select_related("changed_by"))
    if role != "enterprise":
        return changes
    own = set(enterprise_recipients(application.shared_with_id).values_list("pk", flat=True))
    shown = []
    for change in changes:
        if change.to_status == ApplicationStatus.RECOMMENDED:
            continue
        if change.changed_by_id not in own:
            change.note = ""
            change.changed_by_hidden = True
        shown.append(change)
    return shown


def my_applications(supervisee: Supervisee) -> list[Application]:
    return list(
        Application.objects.filter(supervisee=supervisee)
        .select_related("job__organisation", "job__district", "training_place__organisation",
                        "training_place__district", "placement")
        .order_by("-updated_at", "-pk"))


def viewer_role(user, application: Application) -> str:
    """How the application page speaks to this viewer: "person", "staff" or "enterprise".
    Staff first: a caseworker who is also partner staff sees the staff page."""
    actor = actor_for(user)
    if is_unit_staff(user) and (actor.has(Role.SUPERUSER) or supervisees_visible_to(user)
                                .filter(pk=application.supervisee_id).exists()):
        return "staff"
    if application.shared_with_id and application.shared_with_id in _enterprise_ids(user):
        return "enterprise"
    return "person"


# --- Candidates for an enterprise -------------------------------------------------------------

def _employer_consent() -> Subquery:
    return Subquery(
        Consent.objects.filter(supervisee=OuterRef("pk"), kind=Consent.Kind.EMPLOYER_PROFILE)
        .order_by("-recorded_at", "-pk").values("granted")[:1])


def consenting_people() -> QuerySet:
    """People whose latest EMPLOYER_PROFILE decision is yes, who may be shown to partners
    at all (never a juvenile, never a sealed file) and whose help is still open."""
    return (
        Supervisee.objects.annotate(employer_consent=_employer_consent())
        .filter(employer_consent=True, is_juvenile=False, is_sealed=False)
        .exclude(status=Supervisee.Status.CLOSED))


@dataclass
class Candidate:
    supervisee: Supervisee
    facts: PersonFacts
    assessment: matching.Assessment | None
    application: Application | None = None

    @property
    def name(self) -> str:
        return display_name_for_partner(self.supervisee)


def _job_flat(job: Job) -> tuple[Opening, dict[int, str]]:
    """The job flattened for matching, and the names of its skills."""
    [flat], names = openings(Q(pk=job.pk), training=False)
    return flat, names


def candidates_for(user, job: Job) -> list[Candidate]:
    """Consenting people for whom `job` is a match, best first. `job` comes from
    job_for_manager (so it is the user's own)."""
    if job.organisation_id not in _enterprise_ids(user):
        raise Http404
    flat, names = _job_flat(job)
    today = timezone.localdate()
    travelling = Q(travel_approvals__destination_id=job.district_id,
                   travel_approvals__starts_on__lte=today) & (
        Q(travel_approvals__ends_on__isnull=True) | Q(travel_approvals__ends_on__gte=today))
    people = list(consenting_people().filter(
        Q(home_district__county=flat.county) | travelling).distinct()
        .select_related("home_district", "unit__district"))
    facts = people_facts(people, today=today)
    by_id = {p.pk: p for p in people}
    applied = {a.supervisee_id: a for a in Application.objects.filter(
        job=job, shared_with__isnull=False)}
    return [Candidate(by_id[sid], facts[sid], result, applied.get(sid))
            for sid, result in matching.rank_people(facts.values(), flat, names)]


def candidate_for(user, job: Job, supervisee_pk) -> Candidate:
    """One person as the enterprise may see them for `job`: a consenting candidate for whom
    the job is a match, or someone whose application to it was shared. Anyone else (not
    consenting, consent revoked, never applied, excluded) is 404."""
    if job.organisation_id not in _enterprise_ids(user):
        raise Http404
    try:
        pk = int(supervisee_pk)
    except (TypeError, ValueError):
        raise Http404 from None
    application = (Application.objects.filter(job=job, supervisee_id=pk,
                                              shared_with__isnull=False)
                   .select_related("supervisee__home_district", "supervisee__unit__district")
                   .first())
    if application is not None:
        supervisee = application.supervisee
        facts = person_facts(supervisee)
        return Candidate(supervisee, facts, None, application)
    supervisee = consenting_people().filter(pk=pk).select_related(
        "home_district", "unit__district").first()
    if supervisee is None:
        raise Http404
    facts = person_facts(supervisee)
    result = matching.assess(facts, *_job_flat(job))
    if result.excluded:
        raise Http404
    return Candidate(supervisee, facts, result, None)


def partner_profile(candidate: Candidate) -> dict:
    """What an enterprise may read about a person: a display name, skills, districts and
    what they wrote about their work. For a juvenile applicant, no district either."""
    person = candidate.supervisee
    facts = candidate.facts
    names = skill_names()
    profile = JobProfile.objects.filter(supervisee=person).prefetch_related(
        "preferred_districts").first()
    return {
        "name": display_name_for_partner(person),
        "skills": sorted(names.get(i, "") for i in facts.skills),
        "home_district": "" if person.is_juvenile else facts.home_district,
        "preferred_districts": [] if profile is None or person.is_juvenile else
        [d.name for d in profile.preferred_districts.all()],
        "work_history": profile.work_history if profile else "",
        "preferred_shifts": sorted(facts.preferred_shifts),
        "max_hours": facts.max_hours,
    }


# --- A person's employment, as staff see it -------------------------------------------------

def profile_for(supervisee: Supervisee) -> JobProfile | None:
    return (JobProfile.objects.filter(supervisee=supervisee)
            .prefetch_related("skills", "preferred_districts").first())


def employer_consent_given(supervisee: Supervisee) -> bool:
    latest = (Consent.objects.filter(supervisee=supervisee, kind=Consent.Kind.EMPLOYER_PROFILE)
              .order_by("-recorded_at", "-pk").values_list("granted", flat=True).first())
    return bool(latest)


def placements_for(supervisee: Supervisee) -> list[Placement]:
    return list(Placement.objects.filter(supervisee=supervisee)
                .select_related("job", "organisation")
                .prefetch_related("follow_ups__completed_by"))


def follow_ups_due(user, *, today: datetime.date | None = None, limit: int = 50) -> list:
    """Follow-ups fallen due and not recorded yet, of placements still running, for the
    people this staff member may see: the caseworker's own people first."""
    today = today or timezone.localdate()
    people = supervisees_in_scope(staff_scope(user), user.pk).values("pk")
    return list(
        FollowUp.objects.filter(completed_at__isnull=True, due_on__lte=today,
                                placement__ended_on__isnull=True,
                                placement__supervisee__in=people)
        .select_related("placement__supervisee", "placement__job", "placement__organisation")
        .annotate(mine=Case(When(placement__supervisee__caseworker_id=user.pk, then=Value(0)),
                            default=Value(1), output_field=IntegerField()))
        .order_by("mine", "due_on", "pk")[:limit])


def training_enrolments_for(supervisee: Supervisee) -> list[TrainingEnrolment]:
    return list(TrainingEnrolment.objects.filter(supervisee=supervisee)
                .select_related("training_place__base", "organisation", "recorded_by"))


def training_enrolment_for_staff(user, pk) -> TrainingEnrolment:
    """A training enrolment of someone this staff member may see; else 404."""
    if not is_unit_staff(user):
        raise PermissionDenied
    return _get_or_404(TrainingEnrolment.objects.filter(
        supervisee__in=supervisees_visible_to(user).values("pk")), pk)


def person_employment(supervisee: Supervisee) -> dict:
    """Everything the staff page about one person shows (the caller has already opened
    the record through portal.access.supervisee_for_staff)."""
    ranking = ranking_for(supervisee, with_partners=True)
    facts = person_facts(supervisee)
    names = skill_names()
    return {
        "skills": sorted(names.get(i, "") for i in facts.skills),
        "profile": profile_for(supervisee),
        "consent": employer_consent_given(supervisee),
        "ranking": ranking,
        "applications": my_applications(supervisee),
        "placements": placements_for(supervisee),
        "training_enrolments": training_enrolments_for(supervisee),
        "facts": facts,
    }


# --- The staff job board ------------------------------------------------------------------------

def job_board(user, data=None):
    """Open jobs for unit staff, filtered (`.qs`, `.form`); rows carry what they render."""
    from .filters import JobFilter

    base = (Job.objects.filter(status=Job.Status.OPEN)
            .select_related("organisation", "industry", "district", "venue_type")
            .prefetch_related("skills").order_by("-created_at", "-pk"))
    return JobFilter(data or None, queryset=base)


def open_training_places() -> QuerySet:
    return (TrainingPlace.objects.filter(status=TrainingPlace.Status.OPEN)
            .select_related("organisation", "base", "district", "industry")
            .prefetch_related("skills").order_by("starts_on", "pk"))


# --- Figures --------------------------------------------------------------------------------

def unit_figures(user, *, today: datetime.date | None = None) -> dict:
    """Employment figures over the people this staff member may see: people placed, the
    30- and 90-day follow-ups, and the same by enterprise (with the places it promised)."""
    today = today or timezone.localdate()
    people = supervisees_visible_to(user).values("pk")
    placements = Placement.objects.filter(supervisee__in=people)
    follow_ups = FollowUp.objects.filter(placement__in=placements.values("pk"))
    day90 = Q(day=90)
    totals = follow_ups.aggregate(
        due30=Count("pk", filter=Q(day=30, due_on__lte=today)),
        done30=Count("pk", filter=Q(day=30, completed_at__isnull=False)),
        kept30=Count("pk", filter=Q(day=30, still_employed=True)),
        due90=Count("pk", filter=day90 & Q(due_on__lte=today)),
        done90=Count("pk", filter=day90 & Q(completed_at__isnull=False)),
        kept90=Count("pk", filter=day90 & Q(still_employed=True)),
        overdue=Count("pk", filter=Q(due_on__lt=today, completed_at__isnull=True)),
    )
    figures = {
        "people_placed": placements.values("supervisee").distinct().count(),
        "placements": placements.count(),
        **totals,
    }
    kept90 = Exists(FollowUp.objects.filter(placement=OuterRef("pk"), day=90,
                                            still_employed=True))
    done90 = Exists(FollowUp.objects.filter(placement=OuterRef("pk"), day=90,
                                            completed_at__isnull=False))
    rows = (
        placements.annotate(kept=kept90, done=done90)
        .values("organisation_id", "organisation__name")
        .annotate(placed=Count("pk"),
                  people=Count("supervisee", distinct=True),
                  kept90=Count("pk", filter=Q(kept=True)),
                  done90=Count("pk", filter=Q(done=True)))
        .order_by("-placed", "organisation__name"))
    promised = dict(
        HelpAgreement.objects.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("organisation_id").annotate(n=Sum("places_promised"))
        .values_list("organisation_id", "n"))
    by_enterprise = [dict(row, promised=promised.get(row["organisation_id"], 0))
                     for row in rows]
    applications = dict(
        Application.objects.filter(supervisee__in=people).values("status")
        .annotate(n=Count("pk")).values_list("status", "n"))
    due = list(
        follow_ups.filter(completed_at__isnull=True, due_on__lte=today + datetime.timedelta(days=7))
        .select_related("placement__supervisee", "placement__job", "placement__organisation")
        .order_by("due_on", "pk")[:50])
    return {
        "figures": figures,
        "by_enterprise": by_enterprise,
        "applications": [(label, applications.get(value, 0))
                         for value, label in ApplicationStatus.choices],
        "due": due,
    }
