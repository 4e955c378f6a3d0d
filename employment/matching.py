"""Matching people and openings (jobs and training places): pure functions over facts the
selectors load beforehand, the one place where the rules and the score live.

Hard exclusions (the law, not preference) come first; an excluded opening is never
offered, and only caseworkers see why it was excluded:

- an industry under the person's active occupational ban (从业禁止);
- a kind of workplace, or a district, named by an active prohibition order (禁止令);
- adult-only work for a juvenile, and any job for someone under 16 (Labour Law Art. 15);
- while under correction, a place outside the county of the person's home district,
  unless one travel approval names that district as its destination and runs over the
  whole stay: a training course's dates, or for a job (which has no end) the rest of the
  correction term (Art. 27). A short approval to visit family there does not make a
  permanent job a match. The rule is shared with volunteering
  (portal.people.selectors.may_be_in / covering_period);
- closed openings, and people whose help period has ended.

Everything else is ranked by a score with its reasons: skill fit, place (home district
first, then a preferred district, then elsewhere in the county), hours that leave the
reporting day and booked classes free (Art. 34), and the person's own preferences.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _

from .models import SHIFT_PERIODS, WEEKDAY_NAMES, DayPeriod, Shift

# Points, so a reader can see what weighs how much.
SKILLS_FULL = 40  # every skill wanted is one the person has
NO_SKILLS_NEEDED = 10
TEACHES_NEW = 20  # training: teaches a skill the person does not have
BUILDS_ON = 10  # training: builds on a skill the person has
HOME_DISTRICT = 30
PREFERRED_DISTRICT = 15
IN_COUNTY = 15
REPORTING_FREE = 10
REPORTING_CLASH = -20
CLASS_CLASH = -15
SHIFT_PREFERRED = 10
SHIFT_NOT_PREFERRED = -10
HOURS_FIT = 5
TOO_MANY_HOURS = -10

PLUS, MINUS, NOTE, EXCLUDED = "+", "-", "=", "x"
FLEXIBLE = str(Shift.FLEXIBLE)
# Plain strings: matching compares the values read from the database.
_PERIODS = {str(shift): frozenset(str(p) for p in periods)
            for shift, periods in SHIFT_PERIODS.items()}


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What matching needs to know about one person, as of `today`."""

    supervisee_id: int
    help_open: bool  # False once the post-release help period has ended
    in_correction: bool
    is_juvenile: bool
    age: int | None
    home_district_id: int | None
    home_district: str
    county: str  # "" when neither the home district nor the unit's district is known
    skills: frozenset[int] = frozenset()
    banned_industries: Mapping[int, str] = field(default_factory=dict)  # id → name
    prohibited_venues: Mapping[int, str] = field(default_factory=dict)
    prohibited_districts: Mapping[int, str] = field(default_factory=dict)
    # destination district id → (name, ((starts_on, ends_on or None), ...)): the person's
    # travel approvals that have not ended, per destination
    travel: Mapping[int, tuple[str, tuple]] = field(default_factory=dict)
    preferred_districts: frozenset[int] = frozenset()
    preferred_shifts: frozenset[str] = frozenset()
    max_hours: int | None = None
    reporting: tuple[int, str] | None = None  # (ISO weekday, DayPeriod)
    busy: frozenset[tuple[int, str]] = frozenset()  # (weekday, period) of booked classes
    today: datetime.date | None = None  # None: the local date when assessed
    term_end: datetime.date | None = None  # end of the correction term (None: unknown)


@dataclass(frozen=True, slots=True)
class Opening:
    """A job or a training place, flattened."""

    kind: str  # "job" or "training"
    id: int
    title: str
    organisation_id: int
    organisation: str
    industry_id: int
    industry: str
    district_id: int
    district: str
    county: str
    venue_type_id: int | None
    venue_type: str
    shift: str
    work_days: frozenset[int]
    hours_per_week: int
    juveniles_allowed: bool
    is_open: bool = True
    skills: frozenset[int] = frozenset()
    pay_min: int | None = None
    pay_max: int | None = None
    starts_on: datetime.date | None = None  # training: the course's dates, when set
    ends_on: datetime.date | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def shift_label(self) -> str:
        return Shift(self.shift).label

    @property
    def url(self) -> str:
        from django.urls import reverse

        name = "employment:job" if self.kind == "job" else "employment:training_place"
        return reverse(name, kwargs={"pk": self.id})


class Reason(NamedTuple):
    """One line of explanation: `sign` is PLUS, MINUS, NOTE or EXCLUDED; `code` is stable
    (for the API and tests); the text is translated when asked for."""

    sign: str
    code: str
    params: tuple = ()

    @property
    def text(self) -> str:
        return reason_text(self)

    @property
    def staff_text(self) -> str:
        return reason_text(self, STAFF)

    @property
    def partner_text(self) -> str:
        return reason_text(self, PARTNER)

    @property
    def points(self) -> int:
        """What this reason adds to the score (the reasons of a match add up to it)."""
        if self.code == "skills_used":
            return round(SKILLS_FULL * self.params[0] / self.params[1])
        return _POINTS.get(self.code, 0)


class Assessment:
    """One opening for one person: the score (0 when excluded) and, worked out only when
    someone reads them, the reasons (why it ranks where it does, or why it is excluded).
    Ranking only adds up scores; the rows shown explain themselves."""

    __slots__ = ("opening", "score", "excluded", "_person", "_names", "_reasons")

    def __init__(self, opening: Opening, score: int, reasons: list[Reason] | None = None, *,
                 excluded: bool = False, person: PersonFacts | None = None,
                 names: Mapping[int, str] | None = None):
        self.opening, self.score, self.excluded = opening, score, excluded
        self._person, self._names, self._reasons = person, names, reasons

    @property
    def reasons(self) -> list[Reason]:
        if self._reasons is None:
            if self.excluded:
                self._reasons = exclusions(self._person, self.opening)
            else:
                self._reasons = _evaluate(self._person, self.opening, self._names or {},
                                          explain=True)[1]
        return self._reasons

    @property
    def reason_texts(self) -> list[str]:
        return [r.text for r in self.reasons]

    @property
    def partner_reasons(self) -> list[Reason]:
        return for_audience(self.reasons, PARTNER)

    def __repr__(self):
        return f"<Assessment {self.opening.key} {self.score}{' excluded' if self.excluded else ''}>"


@dataclass(slots=True)
class Ranking:
    matches: list[Assessment]
    excluded: list[Assessment]


# --- the rules ---------------------------------------------------------------------------

def exclusions(person: PersonFacts, opening: Opening) -> list[Reason]:
    """Why the law (or the opening's state) rules this opening out; empty if it does not."""
    found = []
    if not opening.is_open:
        found.append(Reason(EXCLUDED, "closed"))
    if not person.help_open:
        found.append(Reason(EXCLUDED, "help_ended"))
    if opening.industry_id in person.banned_industries:
        found.append(Reason(EXCLUDED, "banned_industry", (opening.industry,)))
    if opening.venue_type_id is not None and opening.venue_type_id in person.prohibited_venues:
        found.append(Reason(EXCLUDED, "prohibited_venue", (opening.venue_type,)))
    if opening.district_id in person.prohibited_districts:
        found.append(Reason(EXCLUDED, "prohibited_district", (opening.district,)))
    if person.is_juvenile:
        if opening.kind == "job" and person.age is not None and person.age < 16:
            found.append(Reason(EXCLUDED, "under_16"))
        elif not opening.juveniles_allowed:
            found.append(Reason(EXCLUDED, "adults_only"))
    if person.in_correction and not _within_area(person, opening):
        if not person.county:
            found.append(Reason(EXCLUDED, "area_unknown"))
        else:
            found.append(Reason(EXCLUDED, "outside_area", (opening.district, opening.county)))
    return found


def _within_area(person: PersonFacts, opening: Opening) -> bool:
    return bool(person.county) and opening.county == person.county or (
        travel_cover(person, opening) is not None)


def stay(person: PersonFacts, opening: Opening) -> tuple[datetime.date, datetime.date | None]:
    """The days the person would be at the opening while under correction: a training
    course's dates (from today), else from today to the end of the correction term."""
    return _stay(person, opening.starts_on, opening.ends_on)


def _stay(person: PersonFacts, starts_on, ends_on) -> tuple[datetime.date, datetime.date | None]:
    from django.utils import timezone

    today = person.today or timezone.localdate()
    start = max(today, starts_on) if starts_on else today
    end = person.term_end
    if ends_on is not None and (end is None or ends_on < end):
        end = ends_on
    if end is not None and end < start:
        end = start
    return start, end


def travel_cover(person: PersonFacts, opening: Opening):
    """The (starts_on, ends_on) of the travel approval that lets the person take an opening
    outside their county, or None (wrong destination, or it does not cover the stay)."""
    from portal.people.selectors import covering_period

    found = person.travel.get(opening.district_id)
    if not found:
        return None
    return covering_period(found[1], *stay(person, opening))


def job_travel_districts(person: PersonFacts) -> set[int]:
    """The districts outside the county where a travel approval covers a job (which has
    no dates: the stay is the rest of the correction term), as travel_cover decides."""
    from portal.people.selectors import covering_period

    start, end = _stay(person, None, None)
    return {district_id for district_id, (_name, periods) in person.travel.items()
            if covering_period(periods, start, end) is not None}


def assess(person: PersonFacts, opening: Opening,
           skill_names: Mapping[int, str] | None = None, *, explain: bool = True) -> Assessment:
    """The score and reasons of one opening for one person, or why it is excluded. With
    `explain=False` the reasons are worked out later, when read."""
    if _is_excluded(person, opening):
        return Assessment(opening, 0, exclusions(person, opening) if explain else None,
                          excluded=True, person=person)
    score, reasons = _evaluate(person, opening, skill_names or {}, explain=explain)
    return Assessment(opening, score, reasons, person=person, names=skill_names)


def _is_excluded(person: PersonFacts, opening: Opening) -> bool:
    """exclusions() without building the reasons (the common case is "not excluded")."""
    if not opening.is_open or not person.help_open:
        return True
    if opening.industry_id in person.banned_industries:
        return True
    if opening.venue_type_id is not None and opening.venue_type_id in person.prohibited_venues:
        return True
    if opening.district_id in person.prohibited_districts:
        return True
    if person.is_juvenile and (not opening.juveniles_allowed or (
            opening.kind == "job" and person.age is not None and person.age < 16)):
        return True
    return person.in_correction and not _within_area(person, opening)


def _evaluate(person: PersonFacts, opening: Opening, names: Mapping[int, str], *,
              explain: bool) -> tuple[int, list[Reason] | None]:
    """The score of an opening that is not excluded, and (with `explain`) its reasons. One
    set of functions for both, so the reasons always add up to the score."""
    reasons: list[Reason] | None = [] if explain else None
    score = (_skills_part(person, opening, names, reasons)
             + _place_part(person, opening, reasons)
             + _hours_part(person, opening, reasons))
    if explain and person.is_juvenile:
        reasons.append(Reason(NOTE, "juveniles_welcome"))
    return score, reasons


def _skills_part(person: PersonFacts, opening: Opening, names: Mapping[int, str],
                 reasons: list | None) -> int:
    """Depends only on the kind of opening and the skills it wants (see _Scorer)."""
    explain = reasons is not None
    wanted = opening.skills
    shared = person.skills & wanted
    if opening.kind == "job":
        if not wanted:
            if explain:
                reasons.append(Reason(PLUS, "no_skills_needed"))
            return NO_SKILLS_NEEDED
        if shared:
            if explain:
                reasons.append(Reason(PLUS, "skills_used",
                                      (len(shared), len(wanted), _names(shared, names))))
            return round(SKILLS_FULL * len(shared) / len(wanted))
        if explain:
            reasons.append(Reason(MINUS, "skills_missing", (len(wanted),)))
        return 0
    new = wanted - person.skills
    score = 0
    if new:
        score += TEACHES_NEW
        if explain:
            reasons.append(Reason(PLUS, "teaches_new", (_names(new, names),)))
    if shared:
        score += BUILDS_ON
        if explain:
            reasons.append(Reason(PLUS, "builds_on", (_names(shared, names),)))
    return score


def _place_part(person: PersonFacts, opening: Opening, reasons: list | None) -> int:
    """The home district first, then a district the person prefers, then elsewhere in the
    county. The score depends only on the district and its county (see _Scorer)."""
    explain = reasons is not None
    district_id = opening.district_id
    preferred = district_id in person.preferred_districts
    if district_id == person.home_district_id:
        if explain:
            reasons.append(Reason(PLUS, "home_district", (opening.district,)))
            if preferred:
                reasons.append(Reason(PLUS, "preferred_district", (opening.district,)))
        return HOME_DISTRICT + (PREFERRED_DISTRICT if preferred else 0)
    if preferred:
        if explain:
            reasons.append(Reason(PLUS, "preferred_district", (opening.district,)))
        return PREFERRED_DISTRICT
    if person.county and opening.county == person.county:
        if explain:
            reasons.append(Reason(PLUS, "in_county", (opening.district,)))
        return IN_COUNTY
    if explain:
        cover = travel_cover(person, opening) if person.in_correction else None
        if cover is not None:
            reasons.append(Reason(NOTE, "travel_approved",
                                  (person.travel[district_id][0], cover[1])))
        else:
            reasons.append(Reason(NOTE, "outside_county", (opening.district,)))
    return 0


def _hours_part(person: PersonFacts, opening: Opening, reasons: list | None) -> int:
    """The reporting day and booked classes first (duties), then preferences. Depends only
    on the shift, the working days and the hours a week (see _Scorer)."""
    explain = reasons is not None
    score = 0
    shift = opening.shift
    if shift == FLEXIBLE:
        score += REPORTING_FREE
        if explain:
            reasons.append(Reason(PLUS, "flexible"))
    else:
        periods = _PERIODS[shift]
        days = opening.work_days
        if person.reporting is not None:
            day, period = person.reporting
            if day in days and period in periods:
                score += REPORTING_CLASH
                if explain:
                    reasons.append(Reason(MINUS, "reporting_clash", (day, period)))
            else:
                score += REPORTING_FREE
                if explain:
                    reasons.append(Reason(PLUS, "reporting_free", (day, period)))
        if person.busy:
            for day, period in sorted(person.busy):
                if day in days and period in periods:
                    score += CLASS_CLASH
                    if explain:
                        reasons.append(Reason(MINUS, "class_clash", (day, period)))
                    break
    if person.preferred_shifts:
        if shift in person.preferred_shifts:
            score += SHIFT_PREFERRED
            if explain:
                reasons.append(Reason(PLUS, "shift_preferred", (shift,)))
        else:
            score += SHIFT_NOT_PREFERRED
            if explain:
                reasons.append(Reason(MINUS, "shift_not_preferred", (shift,)))
    if person.max_hours:
        if opening.hours_per_week > person.max_hours:
            score += TOO_MANY_HOURS
            if explain:
                reasons.append(Reason(MINUS, "too_many_hours",
                                      (opening.hours_per_week, person.max_hours)))
        else:
            score += HOURS_FIT
            if explain:
                reasons.append(Reason(PLUS, "hours_fit", (opening.hours_per_week,)))
    return score


class _Scorer:
    """Scores many openings for one person: each part depends on a few of the opening's
    fields, so it is worked out once per distinct value with _evaluate's own functions."""

    __slots__ = ("person", "skills", "place", "hours")

    def __init__(self, person: PersonFacts):
        self.person = person
        self.skills, self.place, self.hours = {}, {}, {}

    def __call__(self, o: Opening) -> int:
        key = (o.kind, o.skills)
        skills = self.skills.get(key)
        if skills is None:
            skills = self.skills[key] = _skills_part(self.person, o, {}, None)
        key = (o.district_id, o.county)
        place = self.place.get(key)
        if place is None:
            place = self.place[key] = _place_part(self.person, o, None)
        key = (o.shift, o.work_days, o.hours_per_week)
        hours = self.hours.get(key)
        if hours is None:
            hours = self.hours[key] = _hours_part(self.person, o, None)
        return skills + place + hours


def rank(person: PersonFacts, openings: Iterable[Opening],
         skill_names: Mapping[int, str] | None = None) -> Ranking:
    """Every opening assessed: matches best first (ties: jobs before training, then the
    newest), and the excluded ones. Only scores are worked out here; each assessment
    explains itself when its reasons are read."""
    matches, excluded = [], []
    score = _Scorer(person)
    for o in openings:
        if _is_excluded(person, o):
            excluded.append(Assessment(o, 0, None, excluded=True, person=person))
        else:
            matches.append(Assessment(o, score(o), None, person=person, names=skill_names))
    matches.sort(key=_order)
    excluded.sort(key=lambda a: (a.opening.kind != "job", -a.opening.id))
    return Ranking(matches, excluded)


def rank_people(people: Iterable[PersonFacts], opening: Opening,
                skill_names: Mapping[int, str] | None = None) -> list[tuple[int, Assessment]]:
    """For one opening, the people it is a match for, best first: (supervisee_id, result)."""
    found = []
    for person in people:
        result = assess(person, opening, skill_names, explain=False)
        if not result.excluded:
            found.append((person.supervisee_id, result))
    found.sort(key=lambda pair: (-pair[1].score, pair[0]))
    return found


def _order(a: Assessment):
    return (-a.score, a.opening.kind != "job", -a.opening.id)


def _names(ids, names: Mapping[int, str]) -> str:
    return "、".join(sorted(names.get(i, str(i)) for i in ids))


# --- explaining -------------------------------------------------------------------------
#
# Each reason reads differently for the person ("your reporting time"), for staff ("the
# person's reporting time") and for an enterprise, which gets only the reasons that say
# nothing about the correction: skills, districts, shifts and hours the person chose.
# Reporting duties, booked classes and travel approvals would tell a partner that the
# person is under correction (Arts. 4, 26), so partners never see those.

PERSON, STAFF, PARTNER = "person", "staff", "partner"

PARTNER_SAFE = frozenset({
    "no_skills_needed", "skills_used", "skills_missing", "home_district",
    "preferred_district", "in_county", "shift_preferred", "shift_not_preferred",
    "hours_fit", "too_many_hours",
})

_POINTS = {
    "no_skills_needed": NO_SKILLS_NEEDED, "teaches_new": TEACHES_NEW, "builds_on": BUILDS_ON,
    "home_district": HOME_DISTRICT, "preferred_district": PREFERRED_DISTRICT,
    "in_county": IN_COUNTY, "reporting_free": REPORTING_FREE, "flexible": REPORTING_FREE,
    "reporting_clash": REPORTING_CLASH, "class_clash": CLASS_CLASH,
    "shift_preferred": SHIFT_PREFERRED, "shift_not_preferred": SHIFT_NOT_PREFERRED,
    "hours_fit": HOURS_FIT, "too_many_hours": TOO_MANY_HOURS,
}


def for_audience(reasons: Iterable[Reason], audience: str) -> list[Reason]:
    if audience == PARTNER:
        return [r for r in reasons if r.code in PARTNER_SAFE]
    return list(reasons)


def _slot(day: int, period: str) -> str:
    return _("%(day)s %(period)s") % {"day": WEEKDAY_NAMES.get(str(day), day),
                                      "period": DayPeriod(period).label}


def reason_text(reason: Reason, audience: str = PERSON) -> str:
    """The reason in words for `audience` (PERSON speaks to the person; STAFF and PARTNER
    speak about them)."""
    p = reason.params
    code = reason.code
    you = audience == PERSON
    if code == "closed":
        return _("The opening is closed.")
    if code == "help_ended":
        return _("The person's help period has ended.")
    if code == "banned_industry":
        return _("Occupational ban: may not work in %(industry)s.") % {"industry": p[0]}
    if code == "prohibited_venue":
        return _("Prohibition order: may not enter %(venue)s.") % {"venue": p[0]}
    if code == "prohibited_district":
        return _("Prohibition order names %(district)s.") % {"district": p[0]}
    if code == "under_16":
        return _("Under 16: may not be employed.")
    if code == "adults_only":
        return _("Adults only: not open to juveniles.")
    if code == "outside_area":
        place = p[0] if p[0] == p[1] else f"{p[1]} {p[0]}"
        return _("Outside the person's county (%(place)s) and no travel approval covers "
                 "it.") % {"place": place}
    if code == "area_unknown":
        return _("The person's home district is not recorded, so their area is unknown.")
    if code == "no_skills_needed":
        return _("No particular skills needed.")
    if code == "skills_used":
        values = {"n": p[0], "total": p[1], "names": p[2]}
        if you:
            return _("Uses %(n)s of the %(total)s skills wanted: %(names)s") % values
        return _("Has %(n)s of the %(total)s skills wanted: %(names)s") % values
    if code == "skills_missing":
        if you:
            return _("Wants skills not in your profile yet.")
        return _("Has none of the skills wanted yet.")
    if code == "teaches_new":
        return _("Teaches new skills: %(names)s") % {"names": p[0]}
    if code == "builds_on":
        if you:
            return _("Builds on your skills: %(names)s") % {"names": p[0]}
        return _("Builds on skills the person has: %(names)s") % {"names": p[0]}
    if code == "home_district":
        if you:
            return _("In your home district (%(district)s).") % {"district": p[0]}
        return _("Lives in the same district (%(district)s).") % {"district": p[0]}
    if code == "preferred_district":
        if you:
            return _("In a district you prefer (%(district)s).") % {"district": p[0]}
        return _("Would like to work in %(district)s.") % {"district": p[0]}
    if code == "in_county":
        if you:
            return _("In your county (%(district)s).") % {"district": p[0]}
        return _("Lives in the same county.")
    if code == "travel_approved":
        if p[1]:
            return _("Outside the home county: a travel approval to %(place)s runs until "
                     "%(until)s.") % {"place": p[0], "until": p[1].isoformat()}
        return _("Outside the home county: covered by a travel approval to %(place)s.") % {
            "place": p[0]}
    if code == "outside_county":
        if you:
            return _("Outside your county (%(district)s).") % {"district": p[0]}
        return _("Outside the person's county (%(district)s).") % {"district": p[0]}
    if code == "flexible":
        return _("Flexible hours: can be arranged around other duties.")
    if code == "reporting_clash":
        if you:
            return _("Works during your reporting time (%(slot)s): you would need time "
                     "off.") % {"slot": _slot(*p)}
        return _("Works during the person's reporting time (%(slot)s).") % {"slot": _slot(*p)}
    if code == "reporting_free":
        if you:
            return _("Leaves your reporting time free (%(slot)s).") % {"slot": _slot(*p)}
        return _("Leaves the person's reporting time free (%(slot)s).") % {"slot": _slot(*p)}
    if code == "class_clash":
        return _("Clashes with a booked class (%(slot)s).") % {"slot": _slot(*p)}
    if code == "shift_preferred":
        if you:
            return _("A shift you can work (%(shift)s).") % {"shift": Shift(p[0]).label}
        return _("Can work this shift (%(shift)s).") % {"shift": Shift(p[0]).label}
    if code == "shift_not_preferred":
        if you:
            return _("Not a shift you chose (%(shift)s).") % {"shift": Shift(p[0]).label}
        return _("Did not choose this shift (%(shift)s).") % {"shift": Shift(p[0]).label}
    if code == "hours_fit":
        if you:
            return _("%(hours)s hours a week, within what you want.") % {"hours": p[0]}
        return _("%(hours)s hours a week, within what the person wants.") % {"hours": p[0]}
    if code == "too_many_hours":
        if you:
            return _("%(hours)s hours a week, more than the %(max)s you want.") % {
                "hours": p[0], "max": p[1]}
        return _("%(hours)s hours a week, more than the %(max)s the person wants.") % {
            "hours": p[0], "max": p[1]}
    if code == "juveniles_welcome":
        return _("Open to 16- and 17-year-olds.")
    return code
