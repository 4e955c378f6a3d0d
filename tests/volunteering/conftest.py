"""Service-and-volunteering fixtures on top of the shared world (tests/world.py): a volunteer
team with its staff, themes, and builders for activities and people."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.organisations.models import Organisation
from portal.people.models import Consent, Supervisee
from tests import factories as f
from volunteering.models import Activity, ServiceKind, Theme


@dataclass
class Svc:
    world: object
    team: object  # volunteer team organisation
    team_staff: object
    theme: object
    district: object

    def activity(self, **kwargs) -> Activity:
        """A published volunteer-service activity by the NGO, in three days, unless told."""
        now = timezone.now()
        starts = kwargs.pop("starts_at", now + datetime.timedelta(days=3))
        skills = kwargs.pop("skills", None)
        fields = {
            "title": "社区环境清洁",
            "theme": self.theme,
            "kind": ServiceKind.VOLUNTEER_SERVICE,
            "place": "幸福社区广场",
            "district": self.district,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=3),
            "capacity": 3,
            "signup_deadline": starts - datetime.timedelta(hours=12),
            "hours": Decimal("3"),
            "status": Activity.Status.PUBLISHED,
            "created_by": self.world.users["ngo"],
        }
        if "unit" not in kwargs and "organisation" not in kwargs:
            fields["organisation"] = self.world.ngo
        fields.update(kwargs)
        if fields.get("unit") is not None:
            fields.setdefault("organisation", None)
        activity = Activity.objects.create(**fields)
        if skills:
            activity.skills.set(skills)
        return activity

    def person(self, **kwargs):
        kwargs.setdefault("unit", self.world.squad1)
        kwargs.setdefault("caseworker", self.world.users["caseworker"])
        kwargs.setdefault("home_district", self.district)
        return f.SuperviseeFactory(**kwargs)

    def consent(self, supervisee, kind=Consent.Kind.CERTIFICATE, granted=True):
        return Consent.objects.create(supervisee=supervisee, kind=kind, granted=granted,
                                      recorded_by=supervisee.user)


def make_svc(world=None) -> Svc:
    from tests.world import build_world

    world = world or build_world()
    team = f.OrganisationFactory(name="向阳志愿服务队", kind=Organisation.Kind.VOLUNTEER_TEAM,
                                 partner_unit=world.bureau)
    staff = f.partner_staff_create(team, username="volunteerteam")
    theme, _created = Theme.objects.get_or_create(code="clean-up", defaults={"name": "环境清洁"})
    district = f.DistrictFactory(code="town-a", name="城关镇")
    # The world's people live in the county of the activities (outside it, only a travel
    # approval lets them join: tests/volunteering/test_travel.py).
    Supervisee.objects.filter(home_district__isnull=True).update(home_district=district)
    for person in (world.supervisee, world.other_supervisee, world.juvenile):
        person.home_district = person.home_district or district
    return Svc(world=world, team=team, team_staff=staff, theme=theme, district=district)


@pytest.fixture
def svc(world):
    return make_svc(world)
