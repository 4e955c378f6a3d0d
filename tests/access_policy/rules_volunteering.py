"""Access policy for service and volunteering (/service/, /verify/<code>/) and its API
(/api/v1/activities…, /me/signups, /me/hours, /me/certificates, /certificates/verify/…).

- Browsing and activity pages are for signed-in users. A person (supervisee record) sees
  the activities offered to them: a squad-1 public-welfare activity is 404 for the squad-2
  person. Drafts are seen only by their organisers.
- The person's own pages and actions need a supervisee record (403 for everyone else).
- Organiser pages need an organiser role: unit staff, or staff of an NGO or volunteer team
  (the enterprise and the editor get 403). An activity the user does not organise is
  404, like one that does not exist: the NGO's activities are not the caseworkers'.
- Hours confirmation and a person's hours page are staff-only; one person's page follows
  portal.access.supervisees_visible_to (404 outside it).
- A certificate's PDF: its holder, the certifying NGO, and staff who may see the person.
  Revoking or replacing it (page and API): staff who may see the person and the
  certifying NGO; the holder gets 403 in the API, others 404.
- The volunteer number: the person's own (page and API), or staff who may see the
  person (per record).
- /verify/<code>/ and its API twin are public; a forged code is 404.

The activities, sign-ups and certificate are made on first use by the `args` callables
below and kept on the World for the rest of the test.
"""

import datetime
from decimal import Decimal

from tests.access_policy.spec import (
    BAD_REQUEST,
    FORBIDDEN,
    LOGGED_IN,
    NOT_FOUND,
    OK,
    PUBLIC,
    REDIRECT,
    REDIRECT_LOGIN,
    STAFF_ONLY,
    UNAUTHORIZED,
    Rule,
    expect,
)

JSON = "application/json"
CONFLICT = "HTTP 409"


def fx(world) -> dict:
    made = getattr(world, "_volunteering_fx", None)
    if made is not None:
        return made
    from django.utils import timezone

    from portal.people.models import Consent, Supervisee
    from tests import factories as f
    from volunteering import services
    from volunteering.models import Activity, HoursCorrectionRequest, Signup, Theme

    now = timezone.now()
    theme, _c = Theme.objects.get_or_create(code="clean-up", defaults={"name": "环境清洁"})
    # The county the employment rules' people live in too (政策县), whichever fixture runs
    # first: people are offered activities in their own county (or where travel is approved).
    district = f.DistrictFactory(code="policy-town", name="政策镇", county="政策县")
    Supervisee.objects.filter(home_district__isnull=True).update(home_district=district)
    for person in (world.supervisee, world.other_supervisee, world.juvenile):
        person.home_district = person.home_district or district
    ngo = world.users["ngo"]

    def make(starts, **kwargs):
        fields = dict(title="社区清洁", theme=theme, kind="volunteer_service", place="广场",
                      district=district, starts_at=starts,
                      ends_at=starts + datetime.timedelta(hours=3), capacity=5,
                      signup_deadline=starts - datetime.timedelta(hours=12),
                      hours=Decimal("3"), status=Activity.Status.PUBLISHED,
                      organisation=world.ngo, created_by=ngo)
        fields.update(kwargs)
        return Activity.objects.create(**fields)

    future = now + datetime.timedelta(days=5)
    past = now - datetime.timedelta(hours=3)
    activity = make(future)
    unit_activity = make(future + datetime.timedelta(days=1), kind="public_welfare",
                         organisation=None, unit=world.squad1,
                         created_by=world.users["caseworker"], title="公益劳动")
    draft = make(future + datetime.timedelta(days=2), status=Activity.Status.DRAFT,
                 title="草稿活动")
    started = make(past, signup_deadline=past - datetime.timedelta(days=1), title="已开始")
    signup = Signup.objects.create(activity=started, supervisee=world.supervisee,
                                   status="confirmed", confirmed_at=past)
    started.places_taken = 1
    started.save()
    services.attendance_record(actor=ngo, signup=signup, checked_in_at=past,
                               checked_out_at=past + datetime.timedelta(hours=2))
    correction = HoursCorrectionRequest.objects.create(
        signup=signup, requested_by=world.supervisee.user, hours=Decimal("3"), reason="早到")
    Consent.objects.create(supervisee=world.supervisee, kind=Consent.Kind.CERTIFICATE,
                           granted=True, recorded_by=world.supervisee.user)
    certificate = services.certificate_issue(supervisee=world.supervisee, issued_by=ngo)
    made = {"activity": activity, "unit_activity": unit_activity, "draft": draft,
            "started": started, "signup": signup, "correction": correction,
            "certificate": certificate}
    world._volunteering_fx = made
    return made


def a(key):
    return lambda w: {"pk": fx(w)[key].pk}


def api_a(key):
    return lambda w: {"activity_id": fx(w)[key].pk}


def unknown(w):
    fx(w)
    return {"pk": 987654321}


def on_started(w):
    return {"pk": fx(w)["started"].pk, "signup_pk": fx(w)["signup"].pk}


PERSONS = ("supervisee", "other_supervisee")
# Who may organise at all: unit staff and NGO staff (the enterprise is a partner that
# posts no activities).
ORGANISERS = ("caseworker", "other_caseworker", "unit_admin", "ngo", "superuser")
# Organisers of the NGO's activities.
NGO_ORGANISERS = ("ngo", "superuser")


def person_only(ok: str = OK) -> dict:
    return expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, **{r: ok for r in PERSONS})


def organisers(ok: str = OK, *, theirs: tuple | None = None) -> dict:
    """Organisers get `ok` on what they organise, 404 on the rest; others 403."""
    theirs = ORGANISERS if theirs is None else theirs
    per_role = {r: (ok if r in theirs else NOT_FOUND) for r in ORGANISERS}
    return expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, **per_role)


NOT_STAFF = {"supervisee": FORBIDDEN, "other_supervisee": FORBIDDEN, "ngo": FORBIDDEN,
             "enterprise": FORBIDDEN, "editor": FORBIDDEN, "anonymous": REDIRECT_LOGIN}


def per_record(name: str, *, seen: str, method: str = "GET") -> list[Rule]:
    records = {
        "squad-1 supervisee": (lambda w: {"pk": w.supervisee.pk},
                               {"caseworker": seen, "other_caseworker": NOT_FOUND}),
        "squad-2 supervisee": (lambda w: {"pk": w.other_supervisee.pk},
                               {"caseworker": NOT_FOUND, "other_caseworker": seen}),
        "unknown id": (lambda w: {"pk": 987654321},
                       {"caseworker": NOT_FOUND, "other_caseworker": NOT_FOUND,
                        "unit_admin": NOT_FOUND, "superuser": NOT_FOUND}),
    }
    rules = []
    for label, (args, staff) in records.items():
        outcome = {"unit_admin": seen, "superuser": seen, **staff}
        rules.append(Rule(name, args=args, label=label, method=method,
                          expect=expect(FORBIDDEN, **NOT_STAFF, **outcome)))
    return rules


def api_person(ok: str = OK) -> dict:
    return expect(FORBIDDEN, anonymous=UNAUTHORIZED, **{r: ok for r in PERSONS})


API_LOGGED_IN = expect(OK, anonymous=UNAUTHORIZED)


def api_ngo_organisers(ok: str = OK) -> dict:
    return expect(NOT_FOUND, anonymous=UNAUTHORIZED, **{r: ok for r in NGO_ORGANISERS})


RULES = [
    # --- Browsing and the person's pages ---------------------------------------------------
    Rule("volunteering:list", LOGGED_IN, args=lambda w: (fx(w), None)[1]),
    Rule("volunteering:list", LOGGED_IN, label="filters, one of them not a value",
         query="kind=volunteer_service&theme=nonsense&places_left=on&date_from=2020-13-01"),
    Rule("volunteering:activity", LOGGED_IN, args=a("activity")),
    Rule("volunteering:activity", expect(OK, anonymous=REDIRECT_LOGIN,
                                         other_supervisee=NOT_FOUND),
         args=a("unit_activity"), label="squad-1 public-welfare activity"),
    Rule("volunteering:activity", expect(NOT_FOUND, anonymous=REDIRECT_LOGIN,
                                         **{r: OK for r in NGO_ORGANISERS}),
         args=a("draft"), label="the NGO's draft"),
    Rule("volunteering:activity", expect(NOT_FOUND, anonymous=REDIRECT_LOGIN), args=unknown,
         label="unknown activity"),
    Rule("volunteering:activity_ics", LOGGED_IN, args=a("activity")),
    Rule("volunteering:activity_ics", expect(NOT_FOUND, anonymous=REDIRECT_LOGIN,
                                             **{r: OK for r in NGO_ORGANISERS}),
         args=a("draft"), label="the NGO's draft"),
    Rule("volunteering:signup", person_only(REDIRECT), args=a("activity"), method="POST"),
    Rule("volunteering:signup", expect(BAD_REQUEST, anonymous=REDIRECT_LOGIN),
         args=a("activity"), label="GET is refused"),
    Rule("volunteering:signup", person_only(NOT_FOUND), args=a("draft"), method="POST",
         label="a draft is not offered"),
    Rule("volunteering:signup", expect(FORBIDDEN, anonymous=REDIRECT_LOGIN,
                                       supervisee=REDIRECT, other_supervisee=NOT_FOUND),
         args=a("unit_activity"), method="POST", label="squad-1 public-welfare activity"),
    Rule("volunteering:signup_cancel", person_only(REDIRECT), args=a("activity"),
         method="POST", label="not signed up: a message"),
    Rule("volunteering:me", person_only()),
    Rule("volunteering:correction_request", expect(FORBIDDEN, anonymous=REDIRECT_LOGIN,
                                                   supervisee=OK, other_supervisee=NOT_FOUND),
         args=lambda w: {"signup_pk": fx(w)["signup"].pk}),
    Rule("volunteering:correction_request", expect(FORBIDDEN, anonymous=REDIRECT_LOGIN,
                                                   supervisee=OK, other_supervisee=NOT_FOUND),
         args=lambda w: {"signup_pk": fx(w)["signup"].pk}, method="POST",
         label="empty form re-rendered with errors"),
    Rule("volunteering:certificates_request", person_only(REDIRECT), method="POST",
         args=lambda w: (fx(w), None)[1], label="a certificate or a message"),
    Rule("volunteering:certificates_request", expect(BAD_REQUEST, anonymous=REDIRECT_LOGIN),
         label="GET is refused"),
    Rule("volunteering:certificate_pdf",
         expect(NOT_FOUND, anonymous=REDIRECT_LOGIN, supervisee=OK, ngo=OK, caseworker=OK,
                unit_admin=OK, superuser=OK),
         args=a("certificate")),
    Rule("volunteering:certificate_pdf", expect(NOT_FOUND, anonymous=REDIRECT_LOGIN),
         args=unknown, label="unknown certificate"),
    Rule("volunteering:volunteer_number", person_only(REDIRECT), method="POST",
         label="nothing sent: a message"),
    Rule("volunteering:volunteer_number", expect(BAD_REQUEST, anonymous=REDIRECT_LOGIN),
         label="GET is refused"),
    Rule("certificate_verify", PUBLIC, args=lambda w: {"code": fx(w)["certificate"].code}),
    Rule("certificate_verify", expect(NOT_FOUND), args=lambda w: {"code": "FORGEDCODE234567"},
         label="forged code"),

    # --- Organisers -----------------------------------------------------------------------------
    Rule("volunteering:organiser", organisers()),
    Rule("volunteering:create", organisers()),
    Rule("volunteering:create", organisers(), method="POST",
         label="empty form re-rendered with errors"),
    Rule("volunteering:export", organisers()),
    Rule("volunteering:export", organisers(), label="a CSV file", query="format=csv"),
    Rule("volunteering:manage", organisers(theirs=NGO_ORGANISERS), args=a("activity")),
    Rule("volunteering:manage", organisers(theirs=("caseworker", "unit_admin", "superuser")),
         args=a("unit_activity"), label="squad-1 activity"),
    Rule("volunteering:manage", organisers(theirs=()), args=unknown, label="unknown activity"),
    Rule("volunteering:edit", organisers(theirs=NGO_ORGANISERS), args=a("activity")),
    Rule("volunteering:edit", organisers(theirs=NGO_ORGANISERS), args=a("activity"),
         method="POST", label="empty form re-rendered with errors"),
    Rule("volunteering:publish", organisers(REDIRECT, theirs=NGO_ORGANISERS), args=a("draft"),
         method="POST"),
    Rule("volunteering:cancel", organisers(theirs=NGO_ORGANISERS), args=a("activity")),
    Rule("volunteering:cancel", organisers(theirs=NGO_ORGANISERS), args=a("activity"),
         method="POST", label="no reason: form re-rendered"),
    Rule("volunteering:complete", organisers(REDIRECT, theirs=NGO_ORGANISERS),
         args=a("activity"), method="POST", label="not started: a message"),
    Rule("volunteering:scan", organisers(REDIRECT, theirs=NGO_ORGANISERS), args=a("started"),
         method="POST", data={"payload": "nonsense", "action": "in"},
         label="a code that is none: a message"),
    Rule("volunteering:checkin", organisers(REDIRECT, theirs=NGO_ORGANISERS), args=on_started,
         method="POST", label="already checked in: a message"),
    Rule("volunteering:checkout", organisers(REDIRECT, theirs=NGO_ORGANISERS),
         args=on_started, method="POST", label="already checked out: a message"),
    Rule("volunteering:noshow", organisers(REDIRECT, theirs=NGO_ORGANISERS), args=on_started,
         method="POST", label="came: a message"),
    Rule("volunteering:attendance", organisers(theirs=NGO_ORGANISERS), args=on_started),
    Rule("volunteering:attendance", organisers(theirs=NGO_ORGANISERS), args=on_started,
         method="POST", label="nothing sent: form re-rendered"),
    Rule("volunteering:correction_decide", organisers(REDIRECT, theirs=NGO_ORGANISERS),
         args=a("correction"), method="POST", label="no decision: a message"),
    Rule("volunteering:certificate_revoke",
         expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, caseworker=REDIRECT, unit_admin=REDIRECT,
                other_caseworker=NOT_FOUND, ngo=REDIRECT, superuser=REDIRECT),
         args=a("certificate"), method="POST", label="no reason: a message"),

    Rule("volunteering:certificate_replace",
         expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, caseworker=REDIRECT, unit_admin=REDIRECT,
                other_caseworker=NOT_FOUND, ngo=REDIRECT, superuser=REDIRECT),
         args=a("certificate"), method="POST", label="no reason: a message"),

    # --- Caseworkers -----------------------------------------------------------------------------
    Rule("volunteering:hours_confirm", STAFF_ONLY),
    Rule("volunteering:hours_confirm", expect(FORBIDDEN, **{**NOT_STAFF}, caseworker=REDIRECT,
                                              other_caseworker=REDIRECT, unit_admin=REDIRECT,
                                              superuser=REDIRECT),
         method="POST", label="nothing ticked: a message"),
    *per_record("volunteering:person_hours", seen=OK),
    *per_record("volunteering:person_volunteer_number", seen=REDIRECT, method="POST"),

    # --- API -------------------------------------------------------------------------------------
    Rule("api-v1:activities", API_LOGGED_IN, args=lambda w: (fx(w), None)[1]),
    Rule("api-v1:activities", expect(BAD_REQUEST, anonymous=UNAUTHORIZED),
         label="bad filter value: 422", query="kind=teleport"),
    Rule("api-v1:activities", expect(BAD_REQUEST, anonymous=UNAUTHORIZED), method="POST",
         data={}, content_type=JSON, label="create with an empty body: 422"),
    Rule("api-v1:activity", API_LOGGED_IN, args=api_a("activity")),
    Rule("api-v1:activity", expect(NOT_FOUND, anonymous=UNAUTHORIZED,
                                   **{r: OK for r in NGO_ORGANISERS}),
         args=api_a("draft"), label="the NGO's draft"),
    Rule("api-v1:activity_signup", api_person(), args=api_a("activity"), method="POST"),
    Rule("api-v1:activity_signup", api_person(CONFLICT), args=api_a("activity"),
         method="DELETE", label="not signed up: 409"),
    Rule("api-v1:activity_signup", expect(FORBIDDEN, anonymous=UNAUTHORIZED, supervisee=OK,
                                          other_supervisee=NOT_FOUND),
         args=api_a("unit_activity"), method="POST", label="squad-1 public-welfare activity"),
    Rule("api-v1:me_signups", api_person()),
    Rule("api-v1:me_hours", api_person()),
    Rule("api-v1:me_hours", api_person(BAD_REQUEST), label="bad month: 422", query="month=May"),
    Rule("api-v1:me_certificates", api_person()),
    Rule("api-v1:me_certificates", expect(FORBIDDEN, anonymous=UNAUTHORIZED,
                                          supervisee=CONFLICT),
         method="POST", data={}, content_type=JSON,
         label="the record in force covers the hours: 409; no consent: 403"),
    *[Rule(f"api-v1:certificate_{action}",
           expect(NOT_FOUND, anonymous=UNAUTHORIZED, supervisee=FORBIDDEN,
                  caseworker=BAD_REQUEST, unit_admin=BAD_REQUEST, ngo=BAD_REQUEST,
                  superuser=BAD_REQUEST),
           args=lambda w: {"certificate_id": fx(w)["certificate"].pk}, method="POST",
           data={"reason": " "}, content_type=JSON, label="a blank reason: 422")
      for action in ("replace", "revoke")],
    Rule("api-v1:me_volunteer_profile", api_person()),
    Rule("api-v1:me_volunteer_profile", api_person(BAD_REQUEST), method="PUT",
         data={"volunteer_number": "no spaces allowed"}, content_type=JSON,
         label="a malformed number: 422"),
    *[Rule("api-v1:person_volunteer_profile",
           expect(FORBIDDEN, anonymous=UNAUTHORIZED, caseworker=caseworker,
                  other_caseworker=other, unit_admin=BAD_REQUEST, superuser=BAD_REQUEST),
           args=args, method="PUT", data={"volunteer_number": "no spaces allowed"},
           content_type=JSON, label=f"{label}, a malformed number: 422")
      for label, args, caseworker, other in (
          ("squad-1 supervisee", lambda w: {"person_id": w.supervisee.pk}, BAD_REQUEST,
           NOT_FOUND),
          ("squad-2 supervisee", lambda w: {"person_id": w.other_supervisee.pk}, NOT_FOUND,
           BAD_REQUEST))],
    Rule("api-v1:certificate_verify", PUBLIC,
         args=lambda w: {"code": fx(w)["certificate"].code}),
    Rule("api-v1:certificate_verify", expect(NOT_FOUND), args=lambda w: {"code": "FORGED"},
         label="forged code"),
    Rule("api-v1:activity_participants", api_ngo_organisers(), args=api_a("started")),
    Rule("api-v1:activity_checkin", api_ngo_organisers(BAD_REQUEST), args=api_a("started"),
         method="POST", data={"payload": "nonsense"}, content_type=JSON,
         label="a code that is none: 400 invalid_qr"),
    Rule("api-v1:activity_checkout", api_ngo_organisers(BAD_REQUEST), args=api_a("started"),
         method="POST", data={"payload": "nonsense"}, content_type=JSON,
         label="a code that is none: 400 invalid_qr"),
    Rule("api-v1:activity_cancel", api_ngo_organisers(), args=api_a("activity"),
         method="POST", data={"reason": "暴雨"}, content_type=JSON),
]
