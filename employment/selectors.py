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
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
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
from portal.ops.prepared import Variants
from portal.organisations.models import Membership, Organisation, Unit
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
    """The signed-in person's own record (cached per request), or None."""
    cached = getattr(user, "_xy_employment_person", None)
    if cached is not None:
        return cached
    from .mine import person_row

    actor = actor_for(user)
    if actor.supervisee_id is None:
        return None
    found = person_row(supervisee_id=actor.supervisee_id)  # kept compiled (employment.mine)
    if not found:
        raise Supervisee.DoesNotExist(f"No supervisee {actor.supervisee_id}")
    person = found[0]
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


def _busy_slots(supervisee_ids: list[int], now: datetime.datetime) -> dict[int, set]:
    """(weekday, period) of the in-person classes each person booked in the coming weeks."""
    from courses.models import ClassSession, SessionSignup

    busy: dict[int, set] = defaultdict(set)
    rows = SessionSignup.objects.filter(
        supervisee_id__in=supervisee_ids, status=SessionSignup.Status.CONFIRMED,
        session__status=ClassSession.Status.SCHEDULED,
        session__starts_at__gte=now, session__starts_at__lt=now + COURSE_HORIZON,
    ).values_list("supervisee_id", "session__starts_at")
    for supervisee_id, starts_at in rows:
        local = timezone.localtime(starts_at)
        busy[supervisee_id].add((local.isoweekday(), _period_of(starts_at)))
    return busy


def people_facts(people, *, today: datetime.date | None = None) -> dict[int, PersonFacts]:
    """PersonFacts for each of `people` (a queryset or list of Supervisee), loaded with a
    fixed number of queries whatever their number."""
    today = today or timezone.localdate()
    now = timezone.now()
    people = list(people)
    ids = [p.pk for p in people]
    if not ids:
        return {}
    # Where each person lives (else where their unit is), in two queries whatever the
    # caller selected: the county is the area they may work in.
    unit_districts = dict(Unit.objects.filter(pk__in={p.unit_id for p in people})
                          .values_list("pk", "district_id"))
    places = District.objects.in_bulk(
        {p.home_district_id for p in people if p.home_district_id}
        | {d for d in unit_districts.values() if d})
    Through = Supervisee.skills.through
    record_skills = defaultdict(set)
    for sid, skill_id in Through.objects.filter(supervisee_id__in=ids).values_list(
            "supervisee_id", "skill_id"):
        record_skills[sid].add(skill_id)
    profiles = {p.supervisee_id: p for p in JobProfile.objects.filter(supervisee_id__in=ids)}
    profile_skills = defaultdict(set)
    for sid, skill_id in JobProfile.skills.through.objects.filter(
            jobprofile__supervisee_id__in=ids).values_list("jobprofile__supervisee_id",
                                                           "skill_id"):
        profile_skills[sid].add(skill_id)
    preferred = defaultdict(set)
    for sid, district_id in JobProfile.preferred_districts.through.objects.filter(
            jobprofile__supervisee_id__in=ids).values_list("jobprofile__supervisee_id",
                                                           "district_id"):
        preferred[sid].add(district_id)
    active = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    from portal.people.models import OccupationalBan, ProhibitionOrder, TravelApproval

    bans = defaultdict(dict)
    for sid, industry_id, name in OccupationalBan.objects.filter(
            active, supervisee_id__in=ids).values_list("supervisee_id", "industry_id",
                                                       "industry__name"):
        bans[sid][industry_id] = name
    venues, districts = defaultdict(dict), defaultdict(dict)
    for sid, venue_id, venue, district_id, district in ProhibitionOrder.objects.filter(
            active, supervisee_id__in=ids).values_list(
            "supervisee_id", "venue_type_id", "venue_type__name", "district_id",
            "district__name"):
        if venue_id:
            venues[sid][venue_id] = venue
        if district_id:
            districts[sid][district_id] = district
    # Approvals that have not ended (a later one may cover a training course's dates);
    # matching.travel_cover decides whether one covers the stay.
    trips = defaultdict(lambda: defaultdict(list))
    names = {}
    for sid, district_id, name, starts_on, ends_on in TravelApproval.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today), supervisee_id__in=ids,
    ).order_by("starts_on", "pk").values_list(
            "supervisee_id", "destination_id", "destination__name", "starts_on", "ends_on"):
        trips[sid][district_id].append((starts_on, ends_on))
        names[district_id] = name
    travel = {sid: {d: (names[d], tuple(periods)) for d, periods in by_place.items()}
              for sid, by_place in trips.items()}
    busy = _busy_slots(ids, now)

    facts = {}
    for person in people:
        home = places.get(person.home_district_id)
        unit_place = places.get(unit_districts.get(person.unit_id))
        county = home.county if home else (unit_place.county if unit_place else "")
        profile = profiles.get(person.pk)
        reporting = None
        if profile and profile.reporting_weekday and profile.reporting_period:
            reporting = (profile.reporting_weekday, profile.reporting_period)
        facts[person.pk] = facts_of(
            person, today, home=home, county=county,
            skills=frozenset(record_skills[person.pk] | profile_skills[person.pk]),
            banned_industries=bans[person.pk],
            prohibited_venues=venues[person.pk],
            prohibited_districts=districts[person.pk],
            travel=travel.get(person.pk, {}),
            preferred_districts=frozenset(preferred[person.pk]),
            preferred_shifts=frozenset(profile.preferred_shifts or ()) if profile else frozenset(),
            max_hours=profile.max_hours_per_week if profile else None,
            reporting=reporting,
            busy=frozenset(busy.get(person.pk, ())),
        )
    return facts


def facts_of(person, today: datetime.date, *, home, county: str, **facts) -> PersonFacts:
    """PersonFacts of `person` (a Supervisee, or a row with its fields): what its own
    fields and `home` (its district, or None) say, and the other `facts` given."""
    return PersonFacts(
        supervisee_id=person.pk,
        help_open=person.status != Supervisee.Status.CLOSED,
        in_correction=person.status == Supervisee.Status.IN_CORRECTION,
        is_juvenile=person.is_juvenile,
        age=_age(person.birth_date, today),
        home_district_id=person.home_district_id,
        home_district=home.name if home else "",
        county=county,
        today=today,
        term_end=person.term_end,
        **facts,
    )


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
    """Which open openings are worth assessing for a person: those in their county and where
    a travel approval takes them. `with_partners` adds the openings of the enterprises
    partnering the person's units wherever they are, so a caseworker also sees the
    partners' openings elsewhere, with why they are excluded."""
    return Q(status=Job.Status.OPEN) & _near_q(
        {facts.county} if facts.county else set(), set(facts.travel),
        set(_lineage_paths(supervisee.unit)) if with_partners else set())


def _near_q(counties: set, destinations: set, unit_paths: set) -> Q:
    # Districts and partner enterprises are resolved in subqueries over small tables, so
    # the database reaches the openings through the (status, district) index instead of
    # joining every opening to its district.
    districts = District.objects.filter(Q(county__in=counties) | Q(pk__in=destinations))
    q = Q(district_id__in=districts.values("pk"))
    if unit_paths:
        partners = Organisation.objects.filter(partner_unit__path__in=unit_paths)
        q |= Q(organisation_id__in=partners.values("pk"))
    return q


def _flatten(model, rows, skills) -> list[Opening]:
    kind = "job" if model is Job else "training"
    found = []
    days_of: dict[str, frozenset] = {}
    empty = frozenset()
    for row in rows:
        (pk, title, org_id, org, industry_id, industry, district_id, district, county,
         venue_id, venue, shift, work_days, hours, juveniles, status, extra1, extra2) = row
        # Positional, in Opening's field order: this runs once per opening. The last two
        # columns are the pay range of a job, or the dates of a training course.
        job = kind == "job"
        found.append(Opening(
            kind, pk, title, org_id, org, industry_id, industry, district_id, district, county,
            venue_id, venue or "", shift,
            days_of.get(work_days) or days_of.setdefault(work_days, weekday_set(work_days)),
            hours, juveniles, status == OPEN, frozenset(skills[pk]) if pk in skills else empty,
            extra1 if job else None, extra2 if job else None,
            None if job else extra1, None if job else extra2,
        ))
    return found


def openings(q: Q, *, jobs: bool = True, training: bool = True) -> list[Opening]:
    """Jobs and training places matching `q`, flattened: two queries per kind."""
    found = []
    if jobs:
        rows = Job.objects.filter(q).order_by().values_list(
            "id", "title", *_COMMON[1:], "pay_min", "pay_max")
        skills = defaultdict(set)
        for job_id, skill_id in Job.skills.through.objects.filter(
                job_id__in=Job.objects.filter(q).order_by().values("pk")).values_list(
                "job_id", "skill_id"):
            skills[job_id].add(skill_id)
        found += _flatten(Job, rows, skills)
    if training:
        rows = TrainingPlace.objects.filter(q).order_by().values_list(
            "id", "programme", *_COMMON[1:], "starts_on", "ends_on")
        skills = defaultdict(set)
        for place_id, skill_id in TrainingPlace.skills.through.objects.filter(
                trainingplace_id__in=TrainingPlace.objects.filter(q).order_by().values("pk")
        ).values_list("trainingplace_id", "skill_id"):
            skills[place_id].add(skill_id)
        found += _flatten(TrainingPlace, rows, skills)
    return found


def skill_names() -> dict[int, str]:
    return dict(Skill.objects.values_list("pk", "name"))


def kept_skill_names() -> dict[int, str]:
    """skill_names(), kept in the process until a skill is written (shared: read only)."""
    from portal.privatecache import kept_while_unchanged

    return kept_while_unchanged("employment:skill-names", (Skill._meta.db_table,),
                                skill_names)


def exclusion_q(facts: PersonFacts) -> Q:
    """The hard exclusions that need no dates, as a filter: the database drops openings in
    a banned industry, at a prohibited kind of place or district, and adult-only ones for a
    juvenile before any row reaches Python. matching.exclusions stays the rule (the staff
    page, which shows why an opening is excluded, does not use this)."""
    q = Q()
    if facts.banned_industries:
        q &= ~Q(industry_id__in=list(facts.banned_industries))
    if facts.prohibited_venues:
        q &= ~Q(venue_type_id__in=list(facts.prohibited_venues))
    if facts.prohibited_districts:
        q &= ~Q(district_id__in=list(facts.prohibited_districts))
    if facts.is_juvenile:
        q &= Q(juveniles_allowed=True)
    return q


def ranking_for(supervisee: Supervisee, *, today=None, with_partners: bool = False) -> Ranking:
    """Every open opening near the person, assessed: matches ranked, exclusions apart (see
    relevance_q for `with_partners`, which staff pages use). Without `with_partners` (the
    person's own matches) the openings the law rules out are dropped in SQL, so
    `excluded` holds only what matching itself rules out (area, age, dates)."""
    facts = person_facts(supervisee, today=today)
    q = relevance_q(facts, supervisee, with_partners=with_partners)
    if not with_partners:
        q &= exclusion_q(facts)
    return matching.rank(facts, openings(q), skill_names())


def rankings_for(people: list[Supervisee], *, today=None) -> dict[int, Ranking]:
    """Rankings of many people at once (a county's caseload, a report): the facts in one
    batch and the openings near any of them in one query, so the number of queries does
    not grow with the people. Each person is assessed against the openings of their own
    county and of their travel destinations (after release, against all of them)."""
    people = list(people)
    facts = people_facts(people, today=today)
    if not facts:
        return {}
    counties = {f.county for f in facts.values() if f.county}
    destinations = {d for f in facts.values() for d in f.travel}
    paths = {path for p in people for path in _lineage_paths(p.unit)}
    found = openings(Q(status=Job.Status.OPEN) & _near_q(counties, destinations, paths))
    # matching.OpeningIndex ranks as matching.rank does, by classes of openings rather
    # than one by one; the assessments are made as they are read.
    index = matching.OpeningIndex(found, skill_names())
    return {person.pk: index.rank(facts[person.pk]) for person in people}


def opening_assessment(supervisee: Supervisee, opening_obj) -> matching.Assessment:
    """One job or training place assessed for one person (applying, the detail page)."""
    model = type(opening_obj)
    [flat] = openings(Q(pk=opening_obj.pk), jobs=model is Job, training=model is TrainingPlace)
    return matching.assess(person_facts(supervisee), flat, skill_names())


def _jobs_for_person_q(facts: PersonFacts, county_districts) -> Q | None:
    """The open jobs that are a match for the person, as a filter: rank()'s exclusions
    (bans, prohibition orders, age, the area and the travel approvals that cover a job)
    and relevance_q's nearness, or None when there can be none."""
    near = _near_districts(facts, county_districts)
    if near is None:
        return None
    # The districts as values, not a subquery: the planner then knows (from the
    # statistics of the jobs' districts) how many jobs it will read.
    return Q(status=Job.Status.OPEN, district_id__in=sorted(near)) & exclusion_q(facts)


def _near_districts(facts: PersonFacts, county_districts) -> set | None:
    """The districts where a job may be a match for the person (_jobs_for_person_q), or
    None when no job can be."""
    if not facts.help_open:
        return None
    if facts.is_juvenile and facts.age is not None and facts.age < 16:
        return None  # under 16: no job (training only)
    if facts.in_correction:
        districts = matching.job_travel_districts(facts)
    else:
        districts = set(facts.travel)  # after release, wherever relevance_q reaches
    near = set(county_districts) | districts
    return near or None


class _Spec(NamedTuple):
    """Everything the statement ranking a person's jobs depends on (_ranked): the statement
    is built from these values alone, so it is kept compiled per distinct spec and shared
    by everyone with the same (people of one district without a profile, say)."""

    near: tuple  # the districts the jobs may be in
    banned: tuple  # industries, kinds of place and districts ruled out
    venues: tuple
    prohibited: tuple
    juvenile: bool
    county_districts: tuple
    has_county: bool
    skills: tuple
    home: int | None
    preferred: tuple
    reporting: tuple | None
    busy: tuple
    shifts: tuple
    max_hours: int | None
    n: int  # how many of the best


def _spec(facts: PersonFacts, county_districts, n: int) -> _Spec | None:
    q_near = _near_districts(facts, county_districts)
    if q_near is None:
        return None
    return _Spec(
        near=tuple(sorted(q_near)), banned=tuple(sorted(facts.banned_industries)),
        venues=tuple(sorted(facts.prohibited_venues)),
        prohibited=tuple(sorted(facts.prohibited_districts)), juvenile=facts.is_juvenile,
        county_districts=tuple(county_districts), has_county=bool(facts.county),
        skills=tuple(sorted(facts.skills)), home=facts.home_district_id,
        preferred=tuple(sorted(facts.preferred_districts)), reporting=facts.reporting,
        busy=tuple(sorted(facts.busy)), shifts=tuple(sorted(facts.preferred_shifts)),
        max_hours=facts.max_hours, n=n)


@Variants
def _ranked(spec: _Spec):
    """The best `spec.n` open jobs for a person (matching.job_score_sql), each with its
    score, the columns _flatten reads and the number of jobs in all."""
    def build():
        # A person with only what the statement reads: the spec.
        person = PersonFacts(
            supervisee_id=0, help_open=True, in_correction=False, is_juvenile=spec.juvenile,
            age=None, home_district_id=spec.home, home_district="",
            county="+" if spec.has_county else "", skills=frozenset(spec.skills),
            banned_industries=dict.fromkeys(spec.banned, ""),
            prohibited_venues=dict.fromkeys(spec.venues, ""),
            prohibited_districts=dict.fromkeys(spec.prohibited, ""),
            preferred_districts=frozenset(spec.preferred), preferred_shifts=frozenset(
                spec.shifts), max_hours=spec.max_hours, reporting=spec.reporting,
            busy=frozenset(spec.busy))
        jobs = Job.objects.filter(Q(status=Job.Status.OPEN, district_id__in=list(spec.near))
                                  & exclusion_q(person))
        skills, rest = matching.job_score_sql(person, in_county=Q(
            district_id__in=list(spec.county_districts)))
        if spec.skills:
            # The job's skills are counted in one join and one grouping; Max() of the
            # rest (the same on every row of a job) keeps the grouping by the job's
            # key alone. (A subquery per job is no faster, and its estimated cost
            # makes PostgreSQL compile the query with JIT, which costs more than the
            # query itself.)
            qs = jobs.annotate(
                n_wanted=Count("skills"),
                n_shared=Count("skills", filter=Q(skills__in=list(spec.skills))),
            ).annotate(rest=Max(rest)).annotate(match_score=skills + F("rest"))
        else:
            qs = jobs.annotate(match_score=skills + rest)
        # The page's rows come with their score, the ids of their skills (as text, as
        # the activity list reads them) and the total (a window over the ranked jobs).
        from volunteering.selectors import _IdList

        links = Job.skills.through.objects.filter(job_id=OuterRef("pk"))
        skill_ids = Subquery(links.values("job_id").annotate(ids=_IdList("skill_id"))
                             .values("ids"), output_field=CharField())
        # The names of the organisation, industry, district and kind of place as
        # subqueries, not joins: PostgreSQL works them out for the rows of the page
        # only (after the sort and the limit), instead of hashing every district and
        # organisation to join them to every candidate job (a third of the statement).
        names = {f"xy_{field}": _name_of(model, fk, column)
                 for field, (model, fk, column) in _RANKED_NAMES.items()}
        return qs.annotate(**names, xy_skills=skill_ids, xy_total=Window(Count("pk"))).order_by(
            "-match_score", "-pk").values_list(
            "pk", "match_score", "title",
            *(f"xy_{c}" if c in _RANKED_NAMES else c for c in _COMMON[1:]),
            "pay_min", "pay_max", "xy_skills", "xy_total")[:spec.n]
    return build


# _COMMON's columns from another table, as _ranked reads them: (model, the job's key to
# it, the column).
_RANKED_NAMES = {
    "organisation__name": (Organisation, "organisation_id", "name"),
    "industry__name": ("taxonomy.Industry", "industry_id", "name"),
    "district__name": (District, "district_id", "name"),
    "district__county": (District, "district_id", "county"),
    "venue_type__name": ("taxonomy.VenueType", "venue_type_id", "name"),
}


def _name_of(model, fk: str, column: str) -> Subquery:
    if isinstance(model, str):
        from django.apps import apps

        model = apps.get_model(model)
    return Subquery(model.objects.filter(pk=OuterRef(fk)).order_by().values(column)[:1])


class PersonMatches:
    """A person's ranked matches as a lazy sequence (len() and slices, as Paginator and
    the API's paginate use it): the jobs are counted, scored, ordered and cut in the
    database (matching.job_score_sql), and only the rows of the slice asked for are
    loaded, flattened and explained; training places, a few, are ranked by rank() and
    merged in the order rank() gives (score, jobs before training, newest first)."""

    def __init__(self, supervisee: Supervisee, *, today=None, facts: PersonFacts | None = None,
                 mine=None):
        """`mine` (employment.mine.load): the facts, the county's districts, the training
        places near and the applications, read beforehand in one round trip."""
        self.supervisee = supervisee
        self._names = None
        self._training = None
        self._training_openings = None
        self._applications = None
        if mine is not None:
            self.facts = mine.facts
            self._county_districts = mine.county_districts
            self._training_openings = mine.training
            self._applications = _by_opening(mine.applications)
            self._names = kept_skill_names()
        else:
            self.facts = facts or person_facts(supervisee, today=today)
            county = self.facts.county
            self._county_districts = list(District.objects.filter(county=county).values_list(
                "pk", flat=True)) if county else []
        self._count = None
        self._jobs_total = None
        self.expect = 20  # how many rows count() reads with the total (see count)
        self._top: list = []  # the best jobs fetched so far, in order
        self._all_jobs = False  # whether _top holds every job

    @property
    def names(self) -> dict[int, str]:
        if self._names is None:
            self._names = skill_names()
        return self._names

    @property
    def training(self) -> list[matching.Assessment]:
        if self._training is None:
            f = self.facts
            found = self._training_openings
            if found is None:
                q = relevance_q(f, self.supervisee) & exclusion_q(f)
                found = openings(q, jobs=False)
            self._training = matching.rank(f, found, self.names).matches
        return self._training

    def count(self) -> int:
        """The jobs are counted by the statement that ranks them: the best `expect` rows
        are read with the total (the page the caller will ask for, when it says so)."""
        if self._count is None:
            if self._jobs_total is None:
                self._best_jobs(max(self.expect, 1))
            self._count = self._jobs_total + len(self.training)
        return self._count

    __len__ = count

    def _best_jobs(self, n: int) -> list[matching.Assessment]:
        if n > len(self._top) and not self._all_jobs:
            f = self.facts
            spec = _spec(f, self._county_districts, n)
            ranked = _ranked[(spec,)]() if spec is not None else []
            self._jobs_total = ranked[0][-1] if ranked else 0
            skills = {row[0]: {int(i) for i in row[-2].split(",")}
                      for row in ranked if row[-2]}
            ranked = [row[:-2] for row in ranked]
            flat = _flatten(Job, [(row[0], *row[2:]) for row in ranked], skills)
            self._top = [matching.Assessment(o, row[1], person=f, names=self.names)
                         for o, row in zip(flat, ranked, strict=True)]
            self._all_jobs = len(ranked) < n
        return self._top[:n]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            if index < 0:
                index += len(self)
            found = self[index:index + 1] if index >= 0 else []
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.indices(len(self))
        if start >= stop:
            return []
        best = sorted(self._best_jobs(stop) + self.training, key=matching._order)
        return [self._row(a) for a in best[start:stop:step]]

    def __iter__(self):
        return iter(self[:len(self)])

    def _row(self, assessment: matching.Assessment) -> MatchRow:
        if self._applications is None:
            self._applications = _by_opening(
                Application.objects.filter(supervisee=self.supervisee))
        return MatchRow(assessment, self._applications.get(assessment.opening.key))


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


def matches_for_person(supervisee: Supervisee, *, today=None, mine=None) -> PersonMatches:
    """The person's ranked matches (the same, in the same order, as ranking_for's), each
    with their application if they have one: a lazy sequence, so that a page of them
    costs the same few queries however many jobs there are. `mine`: what
    employment.mine.load read of the person beforehand."""
    return PersonMatches(supervisee, today=today, mine=mine)


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


def _job_flat(job: Job) -> Opening:
    [flat] = openings(Q(pk=job.pk), training=False)
    return flat


def candidates_for(user, job: Job) -> list[Candidate]:
    """Consenting people for whom `job` is a match, best first. `job` comes from
    job_for_manager (so it is the user's own)."""
    if job.organisation_id not in _enterprise_ids(user):
        raise Http404
    flat = _job_flat(job)
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
    names = skill_names()
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
    result = matching.assess(facts, _job_flat(job), skill_names())
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


@Variants
def _follow_ups_due(scope, today, limit):
    def build(viewer_id: int):
        return (
            FollowUp.objects.filter(
                completed_at__isnull=True, due_on__lte=today, placement__ended_on__isnull=True,
                placement__supervisee__in=supervisees_in_scope(scope, viewer_id).values("pk"))
            .select_related("placement__supervisee", "placement__job",
                            "placement__organisation")
            .annotate(mine=Case(When(placement__supervisee__caseworker_id=viewer_id,
                                     then=Value(0)), default=Value(1),
                                output_field=IntegerField()))
            .order_by("mine", "due_on", "pk")[:limit])
    return build


def follow_ups_due(user, *, today: datetime.date | None = None, limit: int = 50) -> list:
    """Follow-ups that have fallen due and are not recorded yet, of placements still running,
    for the people this staff member may see: the caseworker's own people first. Kept
    compiled per scope and day (portal/ops/prepared.py)."""
    today = today or timezone.localdate()
    return _follow_ups_due[staff_scope(user), today, limit](viewer_id=user.pk)


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
