"""Migration 0011: certificates issued before records had lines. One issued in a squad's
name is replaced by a record the volunteer-service organisations certify, and its code
answers with the new record; a partner's keeps its figures as one line; a revoked one
gets its revocation row."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("volunteering", "0010_certificate_records")]


@pytest.mark.django_db(transaction=True)
def test_old_unit_certificates_are_replaced_by_neutral_records(world, client):
    from tests.volunteering.conftest import make_svc
    from tests.volunteering.test_ledger import attended

    svc = make_svc(world)
    person = svc.person(legal_name="吴旧证")
    attended(svc, person, hours="3", days_ago=20)  # the NGO recorded 3 h
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Certificate = old_apps.get_model("volunteering", "Certificate")
    today = timezone.localdate()
    common = dict(supervisee_id=person.pk, holder_name=person.legal_name,
                  period_start=today - datetime.timedelta(days=20), period_end=today,
                  service_content="环境清洁", issued_by_id=world.users["caseworker"].pk)
    by_unit = Certificate.objects.create(
        serial="XYV-2024-000001", code="UNITCODE23456789", unit_id=world.squad1.pk,
        issuer_name=world.squad1.name, hours=Decimal("5"), **common)
    by_ngo = Certificate.objects.create(
        serial="XYV-2024-000002", code="NGOCODE234567892", organisation_id=world.ngo.pk,
        issuer_name=world.ngo.name, hours=Decimal("3"), **common)
    revoked = Certificate.objects.create(
        serial="XYV-2024-000003", code="REVOKED234567892", organisation_id=world.ngo.pk,
        issuer_name=world.ngo.name, hours=Decimal("3"), revoked_at=timezone.now(),
        revoked_by_id=world.users["ngo"].pk, revoke_reason="录错", **common)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # Forward to the latest state of every app, not only to 0012: the later tests of
    # this process run on this database.
    executor.migrate(executor.loader.graph.leaf_nodes())

    from volunteering.models import Certificate as Now

    old = Now.objects.get(pk=by_unit.pk)
    new = old.replaced_by
    assert [(x.organisation_id, x.hours) for x in new.lines.all()] == [(world.ngo.pk, 3)]
    assert new.hours == 3 and new.is_valid and not old.is_valid
    body = client.get("/api/v1/certificates/verify/UNITCODE23456789").json()
    assert body["serial"] == new.serial and body["replaced"] is True
    html = client.get("/verify/UNITCODE23456789/").content.decode()
    assert world.squad1.name not in html and "矫正" not in html and world.ngo.name in html
    kept = Now.objects.get(pk=by_ngo.pk)
    assert kept.is_valid and [x.hours for x in kept.lines.all()] == [3]
    assert Now.objects.get(pk=revoked.pk).revocation.reason == "录错"
