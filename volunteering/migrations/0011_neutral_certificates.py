import secrets

from django.db import migrations
from django.db.models import Sum
from django.utils import timezone

PARTNER_KINDS = ("ngo", "volunteer_team")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REPLACED = "原证明的出具方不是志愿服务组织，按谁记录谁证明重新出具"
REVOKED = "原证明的出具方不是志愿服务组织，且没有可由志愿服务组织证明的时长"


def _code():
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(16))


def _serial(Certificate, year):
    prefix = f"XYV-{year}-"
    last = (Certificate.objects.filter(serial__startswith=prefix).order_by("-serial")
            .values_list("serial", flat=True).first())
    number = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{number:06d}"


def forwards(apps, schema_editor):
    """Certificates issued before records had lines: a partner's certificate keeps its
    figures as one line; one issued by a corrections unit is replaced by a record of the
    hours volunteer-service organisations certify (or revoked when there are none); a
    revocation becomes a row of its own."""
    Certificate = apps.get_model("volunteering", "Certificate")
    Line = apps.get_model("volunteering", "CertificateLine")
    Revocation = apps.get_model("volunteering", "CertificateRevocation")
    HoursEntry = apps.get_model("volunteering", "HoursEntry")
    Organisation = apps.get_model("organisations", "Organisation")
    now = timezone.now()
    for old in list(Certificate.objects.order_by("issued_at", "pk")):
        organisation = (Organisation.objects.filter(pk=old.organisation_id).first()
                        if old.organisation_id else None)
        if organisation is not None and organisation.kind in PARTNER_KINDS:
            Line.objects.create(certificate=old, organisation=organisation,
                                organisation_name=organisation.name, hours=old.hours,
                                period_start=old.period_start, period_end=old.period_end)
            if old.revoked_at is not None:
                Revocation.objects.create(certificate=old, revoked_at=old.revoked_at,
                                          revoked_by_id=old.revoked_by_id or old.issued_by_id,
                                          reason=old.revoke_reason or "—")
            continue
        if old.revoked_at is not None:
            Revocation.objects.create(certificate=old, revoked_at=old.revoked_at,
                                      revoked_by_id=old.revoked_by_id or old.issued_by_id,
                                      reason=old.revoke_reason or "—")
            continue
        rows = [r for r in (
            HoursEntry.objects.filter(supervisee_id=old.supervisee_id,
                                      kind="volunteer_service",
                                      organisation__kind__in=PARTNER_KINDS)
            .values("organisation_id").annotate(total=Sum("hours")))
            if (r["total"] or 0) > 0]
        if not rows:
            Revocation.objects.create(certificate=old, revoked_at=now,
                                      revoked_by_id=old.issued_by_id, reason=REVOKED)
            continue
        lines = []
        for row in rows:
            entries = HoursEntry.objects.filter(
                supervisee_id=old.supervisee_id, kind="volunteer_service",
                organisation_id=row["organisation_id"])
            dates = [d for d, t in entries.values("signup_id", "service_date")
                     .annotate(t=Sum("hours")).values_list("service_date", "t") if t > 0]
            if not dates:
                continue
            lines.append((Organisation.objects.get(pk=row["organisation_id"]), row["total"],
                          min(dates), max(dates)))
        if not lines:
            Revocation.objects.create(certificate=old, revoked_at=now,
                                      revoked_by_id=old.issued_by_id, reason=REVOKED)
            continue
        new = Certificate.objects.create(
            supervisee_id=old.supervisee_id, serial=_serial(Certificate, now.year),
            code=_code(), holder_name=old.holder_name,
            hours=sum(total for _o, total, _s, _e in lines),
            period_start=min(s for _o, _t, s, _e in lines),
            period_end=max(e for _o, _t, _s, e in lines),
            service_content=old.service_content, issued_at=now, issued_by_id=old.issued_by_id,
            replaces=old, replace_reason=REPLACED,
            # The columns that go in 0012 still need a value here.
            organisation_id=lines[0][0].pk, unit_id=None, issuer_name="")
        for organisation, total, start, end in lines:
            Line.objects.create(certificate=new, organisation=organisation,
                                organisation_name=organisation.name, hours=total,
                                period_start=start, period_end=end)


class Migration(migrations.Migration):
    """Certificates already issued in a corrections unit's name are replaced by neutral
    records (docs/domain.md rules 2 and 3); the old code answers with the new record."""

    dependencies = [("volunteering", "0010_certificate_records")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
