"""A person's volunteer-service record adds up, whatever their service looked like: its
total is the sum of their volunteer-service ledger entries (each recorded, and so
confirmed, by its organisation, corrections included) across organisations, each line is
what that organisation recorded, and public-welfare hours never count."""

import datetime
from decimal import Decimal

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.trust.test_properties import PROPERTY, in_savepoint, people, svc, tenth  # noqa: F401

services_done = st.lists(
    st.tuples(st.sampled_from(["ngo", "team", "unit", "welfare"]),
              st.decimals(min_value=Decimal("0.5"), max_value=Decimal("4"), places=1),
              st.one_of(st.none(), st.decimals(min_value=Decimal("0"), max_value=Decimal("5"),
                                               places=1))),
    min_size=1, max_size=6)


@PROPERTY
@given(done=services_done)
def test_record_total_is_the_sum_of_volunteer_service_entries(svc, people, done):  # noqa: F811
    from volunteering import services
    from volunteering.models import HoursEntry, ServiceSettings, Signup

    person = people[0]
    svc.consent(person)
    settings = ServiceSettings.load()
    settings.certificate_min_hours = Decimal("0")
    settings.save()
    caseworker = svc.world.users["caseworker"]
    organisers = {
        "ngo": ({}, svc.world.users["ngo"]),
        "team": ({"organisation": svc.team}, svc.team_staff),
        "unit": ({"organisation": None, "unit": svc.world.squad1,
                  "recording_organisation": svc.team, "created_by": caseworker}, caseworker),
        "welfare": ({"organisation": None, "unit": svc.world.squad1, "kind": "public_welfare",
                     "created_by": caseworker}, caseworker),
    }

    def example():
        for i, (who, hours, corrected) in enumerate(done):
            kwargs, actor = organisers[who]
            starts = timezone.now() - datetime.timedelta(days=30 - i)
            activity = svc.activity(starts_at=starts, title=f"活动{i}",
                                    signup_deadline=starts - datetime.timedelta(days=1),
                                    **kwargs)
            signup = Signup.objects.create(activity=activity, supervisee=person,
                                           status="confirmed", confirmed_at=starts)
            services.attendance_record(actor=actor, signup=signup, checked_in_at=starts,
                                       checked_out_at=starts + datetime.timedelta(
                                           hours=float(hours)))
            if corrected is not None and corrected != hours:
                services.hours_adjust(actor=actor, signup=signup, hours=corrected,
                                      reason="复核签到表")
        entries = HoursEntry.objects.filter(supervisee=person, kind="volunteer_service")
        expected = tenth(sum((e.hours for e in entries), Decimal("0")))
        try:
            record = services.certificates_request(supervisee=person)
        except services.ServiceError as refused:
            assert refused.code == "no_hours" and expected == 0
            return
        assert tenth(record.hours) == expected
        lines = {line.organisation_id: line.hours for line in record.lines.all()}
        assert tenth(sum(lines.values())) == expected
        for organisation_id, hours in lines.items():
            recorded = [e.hours for e in entries.select_related("activity")
                        if (e.organisation_id or e.activity.recording_organisation_id)
                        == organisation_id]
            assert tenth(hours) == tenth(sum(recorded, Decimal("0")))
        # Only volunteer-service organisations certify, never a unit.
        assert {line.organisation.kind for line in record.lines.all()} <= {
            "ngo", "volunteer_team"}

    in_savepoint(example)
