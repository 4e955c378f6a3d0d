"""Employment fixtures on top of the shared world (tests/world.py): a county with two
townships and a neighbouring county, industries, kinds of place, skills, and builders for
jobs, training places and people. The world's enterprise (金银花产业园) posts the jobs;
a second enterprise stands for "another enterprise"."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from employment.models import Job, TrainingBase, TrainingPlace
from portal.organisations.models import Organisation
from portal.people.models import (
    Consent,
    OccupationalBan,
    ProhibitionOrder,
    TravelApproval,
)
from tests import factories as f

COUNTY = "示范县"
NEIGHBOUR = "邻县"


@dataclass
class Emp:
    world: object
    home: object  # district where the world's people live
    town: object  # another district of the same county
    away: object  # a district of the neighbouring county
    catering: object
    logistics: object
    finance: object
    bar: object
    school: object
    driving: object
    warehouse: object
    cooking: object
    other_enterprise: object
    other_staff: object
    base: object

    @property
    def enterprise(self):
        return self.world.enterprise

    @property
    def staff(self):
        return self.world.users["enterprise"]

    def job(self, **kwargs) -> Job:
        skills = kwargs.pop("skills", [])
        fields = dict(organisation=self.enterprise, title="仓库分拣员", industry=self.logistics,
                      district=self.home, shift="day", work_days="12345", hours_per_week=40,
                      places=3, pay_min=3000, pay_max=4000)
        fields.update(kwargs)
        job = Job.objects.create(**fields)
        job.skills.set(skills)
        return job

    def training(self, **kwargs) -> TrainingPlace:
        skills = kwargs.pop("skills", [])
        fields = dict(organisation=self.enterprise, base=self.base, programme="叉车培训",
                      industry=self.logistics, district=self.base.district, capacity=5)
        fields.update(kwargs)
        place = TrainingPlace.objects.create(**fields)
        place.skills.set(skills)
        return place

    def person(self, **kwargs):
        kwargs.setdefault("unit", self.world.squad1)
        kwargs.setdefault("caseworker", self.world.users["caseworker"])
        kwargs.setdefault("home_district", self.home)
        return f.SuperviseeFactory(**kwargs)

    def consent(self, supervisee, granted=True):
        return Consent.objects.create(supervisee=supervisee, kind=Consent.Kind.EMPLOYER_PROFILE,
                                      granted=granted, recorded_by=supervisee.user)

    def ban(self, supervisee, industry):
        return OccupationalBan.objects.create(supervisee=supervisee, industry=industry,
                                              starts_on=_days(-30), ends_on=_days(365))

    def prohibit(self, supervisee, venue_type):
        return ProhibitionOrder.objects.create(
            supervisee=supervisee, kind="venue_type", venue_type=venue_type,
            description="不得进入", starts_on=_days(-30), ends_on=_days(365))

    def travel(self, supervisee, destination, *, starts=-1, days=None):
        """An approval to be in `destination` from `starts` days from today, for `days` days
        (None: with no end date, which covers a job there for the rest of the term)."""
        return TravelApproval.objects.create(
            supervisee=supervisee, destination=destination, reason="在外县务工",
            starts_on=_days(starts), ends_on=None if days is None else _days(starts + days),
            approved_by=self.world.users["caseworker"])


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def emp(world):
    home = f.DistrictFactory(code="home-town", name="城关镇", county=COUNTY)
    town = f.DistrictFactory(code="other-town", name="柳河镇", county=COUNTY)
    away = f.DistrictFactory(code="away-town", name="邻县镇", county=NEIGHBOUR)
    for person in (world.supervisee, world.other_supervisee, world.juvenile):
        person.home_district = home
        person.save(update_fields=["home_district"])
    other = f.OrganisationFactory(name="顺风物流", kind=Organisation.Kind.ENTERPRISE,
                                  partner_unit=world.bureau)
    base = TrainingBase.objects.create(organisation=world.enterprise, name="实训基地",
                                       district=town)
    return Emp(
        world=world, home=home, town=town, away=away,
        catering=f.IndustryFactory(code="catering", name="餐饮"),
        logistics=f.IndustryFactory(code="logistics", name="物流"),
        finance=f.IndustryFactory(code="finance", name="金融"),
        bar=f.VenueTypeFactory(code="bar", name="酒吧"),
        school=f.VenueTypeFactory(code="school", name="学校"),
        driving=f.SkillFactory(code="driving", name="驾驶"),
        warehouse=f.SkillFactory(code="warehouse", name="仓储"),
        cooking=f.SkillFactory(code="cooking", name="烹饪"),
        other_enterprise=other,
        other_staff=f.partner_staff_create(other, username="other_enterprise"),
        base=base,
    )
