"""Access policy for the help network (/help/…) and its API (/api/v1/me/referrals,
/me/appointments, /slots, /slots/{id}/book, /appointments/{id}).

- The person's pages need a supervisee record (403 otherwise); someone else's referral,
  appointment or application is 404, like one that does not exist.
- Staff pages follow portal.access: 403 for roles that never work with records, 404 for a
  person outside the caseworker's units.
- Provider pages need an NGO or counselling membership (slots: counselling only); a
  referral is 404 to a provider until the person consented, and to every other provider.
- Session notes and attendance are the counselling provider's: 403 for everyone else who
  can see the appointment. Fund decisions and payments are unit administrators' (403 for
  caseworkers).

A POST sent with an empty body is refused by the service with a message (a redirect,
nothing changed) where the role may act at all.
"""

from tests.access_policy.spec import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    REDIRECT_LOGIN,
    STAFF_ONLY,
    UNAUTHORIZED,
    Rule,
    expect,
)

JSON = "application/json"
STAFF = ("caseworker", "unit_admin", "superuser")  # those who see the squad-1 person


def fx(world) -> dict:
    made = getattr(world, "_helpnet_fx", None)
    if made is not None:
        return made
    import tempfile

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from helpnet import services
    from helpnet.models import CounsellingSlot
    from tests import factories as f

    # Uploaded documents go to a throw-away folder, never the checkout.
    settings.PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="xy-helpnet-policy-")
    caseworker = world.users["caseworker"]
    ngo_service = f.help_service_create(world.ngo, name="家庭支持", type="family")
    counselling_service = f.help_service_create(world.counselling)
    awaiting = services.referral_create(actor=caseworker, supervisee=world.supervisee,
                                        service_id=ngo_service.pk, reason="家庭矛盾")
    pending = services.referral_create(actor=caseworker, supervisee=world.supervisee,
                                       service_id=counselling_service.pk, reason="焦虑失眠",
                                       consent_given=True)
    slot = f.counselling_slot_create(world.counselling, days=3)
    booked_slot = f.counselling_slot_create(world.counselling, days=4)
    appointment = services.appointment_book(actor=world.supervisee.user,
                                            slot_id=booked_slot.pk,
                                            supervisee=world.supervisee)
    fund = services.fund_apply(actor=caseworker, supervisee=world.supervisee, need="学费困难",
                               amount=1000)
    document = services.fund_document_add(
        actor=caseworker, application_id=fund.pk,
        upload=SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%%EOF\n" + b"0" * 64,
                                  content_type="application/pdf"))
    assert CounsellingSlot.objects.filter(starts_at__gt=timezone.now()).count() >= 2
    made = {"ngo_service": ngo_service, "awaiting": awaiting, "pending": pending,
            "slot": slot, "appointment": appointment, "fund": fund, "document": document}
    world._helpnet_fx = made
    return made


def pk(key):
    return lambda w: {"pk": fx(w)[key].pk}


def person_pk(w):
    fx(w)
    return {"pk": w.supervisee.pk}


def api_pk(key, name):
    return lambda w: {name: fx(w)[key].pk}


def outcome(default=NOT_FOUND, **roles) -> dict:
    return expect(default, anonymous=REDIRECT_LOGIN, **roles)


def staff(value) -> dict:
    return {role: value for role in STAFF}


PERSON_PAGE = expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, supervisee=OK, other_supervisee=OK)
PROVIDER_PAGE = expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, ngo=OK, counsellor=OK)
RECORD_FORM = expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, caseworker=OK, unit_admin=OK,
                     superuser=OK, other_caseworker=NOT_FOUND)
# Someone who may see the appointment but not act as its provider.
APPT_SEERS = {"supervisee": FORBIDDEN, **staff(FORBIDDEN)}

RULES = [
    Rule("helpnet:home", expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, supervisee=REDIRECT,
                                other_supervisee=REDIRECT, caseworker=REDIRECT,
                                other_caseworker=REDIRECT, unit_admin=REDIRECT,
                                superuser=REDIRECT, ngo=REDIRECT, counsellor=REDIRECT)),
    # --- the person ---------------------------------------------------------------------------
    Rule("helpnet:me", PERSON_PAGE),
    Rule("helpnet:referral_consent", method="POST", args=pk("awaiting"),
         label="the person answers; staff record it on their behalf",
         expect=outcome(supervisee=REDIRECT, **staff(REDIRECT))),
    Rule("helpnet:slot_book", method="POST", args=pk("slot"),
         expect=expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, supervisee=REDIRECT,
                       other_supervisee=REDIRECT)),
    # --- referrals ----------------------------------------------------------------------------
    Rule("helpnet:referrals", STAFF_ONLY),
    Rule("helpnet:referrals", STAFF_ONLY, label="overdue", query="show=overdue&page=x"),
    Rule("helpnet:refer", RECORD_FORM, args=person_pk),
    Rule("helpnet:referral", args=pk("pending"), label="consented, to the counsellor",
         expect=outcome(supervisee=OK, counsellor=OK, **staff(OK))),
    Rule("helpnet:referral", args=pk("awaiting"), label="before consent: not to the NGO",
         expect=outcome(supervisee=OK, **staff(OK))),
    Rule("helpnet:referral_respond", method="POST", args=pk("pending"),
         label="declining without a reason is refused",
         expect=outcome(counsellor=REDIRECT)),
    Rule("helpnet:referral_respond", method="POST", args=pk("awaiting"),
         label="before consent", expect=outcome()),
    Rule("helpnet:referral_session", method="POST", args=pk("pending"),
         expect=outcome(counsellor=REDIRECT)),
    Rule("helpnet:referral_close", method="POST", args=pk("pending"),
         expect=outcome(counsellor=REDIRECT)),
    Rule("helpnet:referral_withdraw", method="POST", args=pk("pending"),
         expect=outcome(**staff(REDIRECT))),
    # --- providers ----------------------------------------------------------------------------
    Rule("helpnet:provider", PROVIDER_PAGE),
    Rule("helpnet:service_create", PROVIDER_PAGE),
    Rule("helpnet:service_create", method="POST", label="empty form re-rendered",
         expect=PROVIDER_PAGE),
    Rule("helpnet:service_edit", args=pk("ngo_service"),
         expect=expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, ngo=OK, counsellor=NOT_FOUND)),
    Rule("helpnet:slots", expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, counsellor=OK)),
    Rule("helpnet:slots", method="POST", label="empty form re-rendered",
         expect=expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, counsellor=OK)),
    Rule("helpnet:slot_withdraw", method="POST", args=pk("slot"),
         expect=expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, counsellor=REDIRECT)),
    # --- appointments -------------------------------------------------------------------------
    Rule("helpnet:appointment", args=pk("appointment"),
         expect=outcome(supervisee=OK, counsellor=OK, **staff(OK))),
    Rule("helpnet:appointment_cancel", method="POST", args=pk("appointment"),
         expect=outcome(supervisee=REDIRECT, counsellor=REDIRECT, **staff(REDIRECT))),
    Rule("helpnet:appointment_attendance", method="POST", args=pk("appointment"),
         label="the provider only", expect=outcome(counsellor=REDIRECT, **APPT_SEERS)),
    Rule("helpnet:appointment_note", method="POST", args=pk("appointment"),
         label="the provider only", expect=outcome(counsellor=REDIRECT, **APPT_SEERS)),
    # --- the education-help fund -------------------------------------------------------------
    Rule("helpnet:fund_list", STAFF_ONLY),
    Rule("helpnet:fund_list", STAFF_ONLY, label="bad filter", query="status=evil&page=-1"),
    Rule("helpnet:fund_create", RECORD_FORM, args=person_pk),
    Rule("helpnet:fund", args=pk("fund"), expect=outcome(supervisee=OK, **staff(OK))),
    Rule("helpnet:fund_decide", method="POST", args=pk("fund"),
         label="administrators decide; rejecting without a reason is refused",
         expect=outcome(supervisee=FORBIDDEN, caseworker=FORBIDDEN, unit_admin=REDIRECT,
                        superuser=REDIRECT)),
    Rule("helpnet:fund_pay", method="POST", args=pk("fund"),
         expect=outcome(supervisee=FORBIDDEN, caseworker=FORBIDDEN, unit_admin=REDIRECT,
                        superuser=REDIRECT)),
    Rule("helpnet:fund_follow_up", method="POST", args=pk("fund"),
         expect=outcome(supervisee=FORBIDDEN, **staff(REDIRECT))),
    Rule("helpnet:fund_upload", method="POST", args=pk("fund"), label="no file: refused",
         expect=outcome(supervisee=FORBIDDEN, **staff(REDIRECT))),
    Rule("helpnet:fund_document", args=pk("document"),
         expect=expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, other_caseworker=NOT_FOUND,
                       **staff(OK))),
]

# --- API --------------------------------------------------------------------------------------

API_PERSON = expect(FORBIDDEN, anonymous=UNAUTHORIZED, supervisee=OK, other_supervisee=OK)

RULES += [
    Rule("api-v1:me_referrals", API_PERSON),
    Rule("api-v1:me_appointments", API_PERSON),
    Rule("api-v1:slots", API_PERSON),
    Rule("api-v1:slot_book", method="POST", args=api_pk("slot", "slot_id"),
         content_type=JSON, expect=API_PERSON),
    Rule("api-v1:appointment_cancel", method="DELETE", args=api_pk("appointment",
                                                                    "appointment_id"),
         expect=expect(FORBIDDEN, anonymous=UNAUTHORIZED, supervisee=OK,
                       other_supervisee=NOT_FOUND)),
]
