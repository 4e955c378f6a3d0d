"""Casework fixtures: builders that put rows straight into the ledgers and the help
network, on top of the shared world (tests/world.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import StudyHoursEntry
from employment.models import Application, FollowUp, Job, Placement
from helpnet.models import Referral, Service
from tests import factories as f
from volunteering.models import HoursConfirmation, HoursEntry, ServiceKind


class Build:
    def __init__(self, world):
        self.world = world
        self.caseworker = world.users["caseworker"]
        self._service = None

    def person(self, **kwargs):
        kwargs.setdefault("unit", self.world.squad1)
        kwargs.setdefault("caseworker", self.caseworker)
        return f.SuperviseeFactory(**kwargs)

    def study(self, person, hours, day=None):
        return StudyHoursEntry.objects.create(
            supervisee=person, kind=StudyHoursEntry.Kind.ATTENDANCE, hours=Decimal(str(hours)),
            credited_on=day or timezone.localdate())

    def service(self, person, hours, day=None, *, kind=ServiceKind.PUBLIC_WELFARE,
                confirmed=True, recorded_at=None):
        entry = HoursEntry.objects.create(
            supervisee=person, kind=kind, hours=Decimal(str(hours)),
            service_date=day or timezone.localdate(), unit=self.world.squad1,
            recorded_by=self.caseworker, reason="测试",
            recorded_at=recorded_at or timezone.now())
        if confirmed:
            HoursConfirmation.objects.create(entry=entry, confirmed_by=self.caseworker)
        return entry

    @property
    def help_service(self):
        if self._service is None:
            self._service = Service.objects.create(
                organisation=self.world.ngo, name="个案帮扶", type=Service.Type.SOCIAL_WORK,
                area="全县", contact="0000")
        return self._service

    def referral(self, person, *, status=Referral.Status.PENDING, consent_days_ago=None,
                 closed_at=None, outcome=""):
        consent_at = (timezone.now() - datetime.timedelta(days=consent_days_ago)
                      if consent_days_ago is not None else None)
        return Referral.objects.create(
            supervisee=person, service=self.help_service, status=status, reason="需要帮扶",
            created_by=self.caseworker, consent_at=consent_at,
            shared_with=self.world.ngo if consent_at else None, closed_at=closed_at,
            outcome=outcome)

    def placement(self, person, *, started_on=None, still_employed_90=None):
        job = Job.objects.create(
            organisation=self.world.enterprise, title="仓库分拣员",
            industry=f.IndustryFactory(), district=f.DistrictFactory())
        app = Application.objects.create(supervisee=person, job=job,
                                         organisation=self.world.enterprise, status="hired")
        placement = Placement.objects.create(
            application=app, supervisee=person, job=job,
            organisation=self.world.enterprise, started_on=started_on or timezone.localdate(),
            created_by=self.caseworker)
        if still_employed_90 is not None:
            FollowUp.objects.create(placement=placement, day=90,
                                    due_on=placement.started_on + datetime.timedelta(days=90),
                                    completed_at=timezone.now(), completed_by=self.caseworker,
                                    still_employed=still_employed_90)
        return placement


@pytest.fixture
def build(world):
    return Build(world)
