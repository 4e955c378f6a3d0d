"""`manage.py backup` and `manage.py restore` round-trip a county's data: after a backup,
changes, and a restore, every table's rows and every media file are as they were at the
backup (compared by per-table checksums and file hashes). PostgreSQL goes through
pg_dump/pg_restore; SQLite through sqlite3's backup API."""

import datetime
import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from portal.ops.backup import MANIFEST
from tests import factories as f
from tests.world import build_world


def table_checksums() -> dict[str, str]:
    sums = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            sums[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return sums


def media_hashes(root) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def county(media_root):
    """People, a ledger with hours, the access log, and uploaded files."""
    from portal.audit.services import access_log_record
    from tests.volunteering.conftest import make_svc
    from volunteering import services
    from volunteering.models import Signup

    world = build_world()
    svc = make_svc(world)
    starts = timezone.now() - datetime.timedelta(days=3)
    activity = svc.activity(starts_at=starts, signup_deadline=starts - datetime.timedelta(days=1))
    signup = Signup.objects.create(activity=activity, supervisee=world.supervisee,
                                   status="confirmed", confirmed_at=starts)
    services.attendance_record(actor=world.users["ngo"], signup=signup, checked_in_at=starts,
                               checked_out_at=starts + datetime.timedelta(hours=2))
    access_log_record(actor=world.users["caseworker"], supervisee=world.supervisee,
                      action="view", what="打开档案", path="/people/1/")
    (media_root / "documents").mkdir(parents=True)
    (media_root / "documents" / "帮教协议.pdf").write_bytes(b"%PDF-1.4 agreement" * 50)
    (media_root / "images").mkdir()
    (media_root / "images" / "photo.jpg").write_bytes(bytes(range(256)) * 20)
    return world


def round_trip(tmp_path, settings):
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    world = county(media)
    tables_before, files_before = table_checksums(), media_hashes(media)
    target = tmp_path / "backup"
    call_command("backup", str(target))
    manifest = json.loads((target / MANIFEST).read_text())
    assert manifest["engine"] == connection.vendor

    # Life goes on after the backup: a record edited, a person added, files changed.
    person = world.supervisee
    person.legal_name = "改过的名字"
    person.save()
    f.SuperviseeFactory(unit=world.squad1, legal_name="新来的人")
    (media / "documents" / "帮教协议.pdf").unlink()
    (media / "images" / "photo.jpg").write_bytes(b"changed")
    (media / "new.txt").write_text("after the backup")
    assert table_checksums() != tables_before and media_hashes(media) != files_before

    call_command("restore", str(target), "--noinput")
    assert table_checksums() == tables_before
    assert media_hashes(media) == files_before
    from portal.people.models import Supervisee

    assert Supervisee.objects.get(pk=person.pk).legal_name == "李明"
    assert not Supervisee.objects.filter(legal_name="新来的人").exists()


@pytest.mark.django_db(transaction=True)
def test_sqlite_round_trip(tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; the PostgreSQL one is test_postgresql_round_trip")
    round_trip(tmp_path, settings)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (pg_dump/pg_restore); set DATABASE_URL to run")
    round_trip(tmp_path, settings)


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path, settings, db):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "keep.txt").write_text("mine")
    target = tmp_path / "backup"
    target.mkdir()
    (target / MANIFEST).write_text(json.dumps(
        {"format": 1, "engine": connection.vendor, "files": {"media.tar.gz": "0" * 64}}))
    (target / "media.tar.gz").write_bytes(b"not what was backed up")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(target), "--noinput")
    assert (tmp_path / "media" / "keep.txt").read_text() == "mine"
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(tmp_path / "media"), "--noinput")


def test_backup_refuses_a_directory_with_files(tmp_path, db):
    (tmp_path / "old").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))
