"""Access policy for employment help (/jobs/…), its API (/api/v1/me/matches, /jobs/{id},
/jobs/{id}/apply, /me/applications, /applications/{id}/withdraw and /answer) and its
admin screens (help agreements and training bases).

- A person's pages and actions need a supervisee record (403 for everyone else). A job
  excluded for the person (here: the squad-2 person's occupational ban on finance) is 404,
  like one that does not exist, and so is someone else's application.
- Job and training pages: people (those not excluded), unit staff and the enterprise that
  posted them. NGO staff and editors have no business here (403); another enterprise's
  opening is 404 for enterprise staff.
- Staff pages (the job board, a person's employment page, figures, follow-ups) follow
  portal.access: 403 for non-staff, 404 for a person outside the caseworker's units.
- Enterprise pages need an enterprise membership (403 otherwise; superusers manage all).
  Another enterprise's job, a person who neither consents nor applied: 404.
- The admin screens are unit administrators' (and superusers'), scoped to the enterprises
  attached to their units; editors are sent back to the admin home.

The objects are made on first use by fx() and kept on the World for the whole test.
"""

import datetime

from tests.access_policy.spec import (
    BAD_REQUEST,
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
CONFLICT = "HTTP 409"
PERSONS = ("supervisee", "other_supervisee")
STAFF = ("caseworker", "other_caseworker", "unit_admin", "superuser")


def fx(world) -> dict:
    made = getattr(world, "_employment_fx", None)
    if made is not None:
        return made
    from django.utils import timezone

    from employment import services
    from employment.models import HelpAgreement, Job, TrainingBase, TrainingPlace
    from portal.organisations.models import Organisation
    from portal.people.models import OccupationalBan
    from tests import factories as f

    today = timezone.localdate()
    home = f.DistrictFactory(code="policy-jobs-home", name="就业镇", county="政策县")
    for person in (world.supervisee, world.other_supervisee):
        person.home_district = home
        person.save(update_fields=["home_district"])
    logistics = f.IndustryFactory(code="policy-logistics", name="物流")
    finance = f.IndustryFactory(code="policy-finance", name="金融")
    OccupationalBan.objects.create(supervisee=world.other_supervisee, industry=finance,
                                   starts_on=today - datetime.timedelta(days=10))

    def job(title, organisation=None, **kwargs):
        return Job.objects.create(organisation=organisation or world.enterprise, title=title,
                                  industry=kwargs.pop("industry", logistics), district=home,
                                  places=5, **kwargs)

    other = Organisation.objects.create(name="政策测试物流", kind="enterprise",
                                        partner_unit=world.bureau)
    open_job = job("分拣员")
    banned_job = job("贷款客服", industry=finance)
    theirs = job("别家岗位", organisation=other)
    recommended_job = job("仓管员")
    hired_job = job("配送员")
    base = TrainingBase.objects.create(organisation=world.enterprise, name="政策实训基地",
                                       district=home)
    place = TrainingPlace.objects.create(organisation=world.enterprise, base=base,
                                         programme="叉车培训", industry=logistics,
                                         district=home)
    agreement = HelpAgreement.objects.create(organisation=world.enterprise, unit=world.bureau,
                                             signed_on=today, starts_on=today,
                                             places_promised=5)
    person = world.supervisee
    application = services.application_create(supervisee=person, job_id=open_job.pk)
    recommendation = services.application_recommend(
        actor=world.users["caseworker"], supervisee=person, job_id=recommended_job.pk)
    hired = services.application_create(supervisee=person, job_id=hired_job.pk)
    services.application_status_set(actor=world.users["enterprise"], application_id=hired.pk,
                                    status="hired",
                                    started_on=today - datetime.timedelta(days=40))
    course = TrainingPlace.objects.create(organisation=world.enterprise, base=base,
                                          programme="电商培训", industry=logistics,
                                          district=home, starts_on=today - datetime.timedelta(
                                              days=20))
    trainee = services.application_create(supervisee=person, training_place_id=course.pk)
    services.application_status_set(actor=world.users["enterprise"], application_id=trainee.pk,
                                    status="hired")
    their_base = TrainingBase.objects.create(organisation=other, name="别家基地", district=home)
    made = {
        "their_base": their_base,
        "training_enrolment": trainee.training_enrolment,
        "job": open_job, "banned_job": banned_job, "theirs": theirs, "place": place,
        "base": base, "agreement": agreement, "application": application,
        "recommendation": recommendation,
        "follow_up": hired.placement.follow_ups.get(day=30),
    }
    world._employment_fx = made
    return made


def pk(key):
    return lambda w: {"pk": fx(w)[key].pk}


def unknown(w):
    fx(w)
    return {"pk": 987654321}


def person_only(ok: str = OK, **more) -> dict:
    return expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, **{**{r: ok for r in PERSONS}, **more})


def openings(ok: str = OK, **more) -> dict:
    """Pages of one opening: people, unit staff, the posting enterprise."""
    seen = {r: ok for r in (*PERSONS, *STAFF, "enterprise")}
    seen.update(more)
    return expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, **seen)


def staff(ok: str = OK, *, other: str = NOT_FOUND) -> dict:
    """Staff pages about the squad-1 person."""
    return expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, caseworker=ok, other_caseworker=other,
                  unit_admin=ok, superuser=ok)


def enterprise_only(ok: str = OK, *, superuser: str | None = None) -> dict:
    return expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, enterprise=ok,
                  superuser=superuser or ok)


def api_person(ok: str = OK, **more) -> dict:
    return expect(FORBIDDEN, anonymous=UNAUTHORIZED, **{**{r: ok for r in PERSONS}, **more})


def api_opening(ok: str = OK, **more) -> dict:
    seen = {r: ok for r in (*PERSONS, *STAFF, "enterprise")}
    seen.update(more)
    return expect(NOT_FOUND, anonymous=UNAUTHORIZED, **seen)


def admin(unit_admin: str, editor: str = REDIRECT, superuser: str | None = None) -> dict:
    return expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, unit_admin=unit_admin, editor=editor,
                  superuser=superuser or unit_admin)


WEB = [
    Rule("employment:home", expect(REDIRECT, anonymous=REDIRECT_LOGIN, ngo=FORBIDDEN,
                                   counsellor=FORBIDDEN, editor=FORBIDDEN)),
    # --- the person
    Rule("employment:matches", person_only(), args=lambda w: (fx(w), None)[1]),
    Rule("employment:profile", person_only()),
    Rule("employment:profile", person_only(), method="POST",
         label="nothing sent: the form again"),
    Rule("employment:profile", person_only(), method="POST",
         data={"max_hours_per_week": "500"}, label="bad hours: form re-rendered"),
    Rule("employment:my_applications", person_only(), args=lambda w: (fx(w), None)[1]),
    Rule("employment:job", openings(), args=pk("job")),
    Rule("employment:job", openings(other_supervisee=NOT_FOUND), args=pk("banned_job"),
         label="excluded for the squad-2 person (occupational ban)"),
    Rule("employment:job", openings(enterprise=NOT_FOUND), args=pk("theirs"),
         label="another enterprise's job"),
    Rule("employment:job", openings(NOT_FOUND), args=unknown, label="unknown job"),
    Rule("employment:apply", person_only(REDIRECT), args=pk("job"), method="POST",
         label="applied already (squad 1): a message; applies (squad 2)"),
    Rule("employment:apply", person_only(REDIRECT, other_supervisee=NOT_FOUND),
         args=pk("banned_job"), method="POST", label="crafted: excluded is 404"),
    Rule("employment:apply", person_only(NOT_FOUND), args=unknown, method="POST",
         label="unknown job"),
    Rule("employment:apply", expect(BAD_REQUEST, anonymous=REDIRECT_LOGIN), args=pk("job"),
         label="GET is refused"),
    Rule("employment:training_place", openings(), args=pk("place")),
    Rule("employment:training_place", openings(NOT_FOUND), args=unknown,
         label="unknown training place"),
    Rule("employment:apply_training", person_only(REDIRECT), args=pk("place"),
         method="POST"),
    Rule("employment:application",
         expect(NOT_FOUND, anonymous=REDIRECT_LOGIN, supervisee=OK, caseworker=OK,
                unit_admin=OK, enterprise=OK, superuser=OK),
         args=pk("application"), label="shared with the enterprise"),
    Rule("employment:application",
         expect(NOT_FOUND, anonymous=REDIRECT_LOGIN, supervisee=OK, caseworker=OK,
                unit_admin=OK, superuser=OK),
         args=pk("recommendation"), label="a recommendation not agreed to yet"),
    Rule("employment:withdraw", person_only(REDIRECT, other_supervisee=NOT_FOUND),
         args=pk("application"), method="POST"),
    Rule("employment:answer", person_only(REDIRECT, other_supervisee=NOT_FOUND),
         args=pk("recommendation"), method="POST", label="no decision: a message"),
    Rule("employment:application_status",
         expect(NOT_FOUND, anonymous=REDIRECT_LOGIN, supervisee=FORBIDDEN, caseworker=REDIRECT,
                unit_admin=REDIRECT, enterprise=REDIRECT, superuser=REDIRECT),
         args=pk("application"), method="POST", label="no status: a message"),
    # --- unit staff
    Rule("employment:board", STAFF_ONLY, args=lambda w: (fx(w), None)[1]),
    Rule("employment:board", STAFF_ONLY, label="bad filter values are ignored",
         query="district=nowhere&shift=moon&juveniles_allowed=maybe&page=abc"),
    Rule("employment:person", staff(), args=lambda w: {"pk": (fx(w), w.supervisee)[1].pk},
         label="squad-1 person"),
    Rule("employment:person", staff(NOT_FOUND), args=unknown, label="unknown person"),
    Rule("employment:recommend", staff(REDIRECT), method="POST",
         args=lambda w: {"pk": w.supervisee.pk}, label="nothing chosen: a message"),
    Rule("employment:reporting", staff(REDIRECT), method="POST",
         args=lambda w: {"pk": w.supervisee.pk}, data={"weekday": "9"},
         label="bad day: a message"),
    Rule("employment:follow_up", staff(REDIRECT), method="POST", args=pk("follow_up"),
         label="no outcome: a message"),
    Rule("employment:follow_up", staff(NOT_FOUND), method="POST", args=unknown,
         label="unknown follow-up"),
    Rule("employment:training_outcome", staff(REDIRECT), method="POST",
         args=pk("training_enrolment"), label="no outcome: a message"),
    Rule("employment:training_outcome", staff(NOT_FOUND), method="POST", args=unknown,
         label="unknown training enrolment"),
    Rule("employment:figures", STAFF_ONLY),
    # --- enterprises
    Rule("employment:enterprise", enterprise_only(), args=lambda w: (fx(w), None)[1]),
    Rule("employment:job_create", enterprise_only()),
    Rule("employment:job_create", enterprise_only(), method="POST",
         label="empty form re-rendered"),
    Rule("employment:job_edit", enterprise_only(), args=pk("job")),
    Rule("employment:job_edit", enterprise_only(NOT_FOUND, superuser=OK), args=pk("theirs"),
         label="another enterprise's job"),
    Rule("employment:job_edit", enterprise_only(NOT_FOUND, superuser=OK), args=pk("theirs"),
         method="POST", label="crafted POST to another enterprise's job"),
    Rule("employment:job_edit", enterprise_only(NOT_FOUND), args=unknown, label="unknown"),
    Rule("employment:candidates", enterprise_only(), args=pk("job")),
    Rule("employment:candidates", enterprise_only(NOT_FOUND, superuser=OK), args=pk("theirs"),
         label="another enterprise's job"),
    Rule("employment:candidate", enterprise_only(),
         args=lambda w: {"pk": fx(w)["job"].pk, "person_pk": w.supervisee.pk},
         label="an applicant"),
    Rule("employment:candidate", enterprise_only(NOT_FOUND),
         args=lambda w: {"pk": fx(w)["job"].pk, "person_pk": w.other_supervisee.pk},
         label="neither consenting nor applied"),
    Rule("employment:candidate", enterprise_only(NOT_FOUND),
         args=lambda w: {"pk": fx(w)["recommendation"].job_id, "person_pk": w.supervisee.pk},
         label="recommended, not agreed to yet"),
    Rule("employment:base_create", enterprise_only(), args=lambda w: (fx(w), None)[1]),
    Rule("employment:base_create", enterprise_only(), method="POST",
         label="empty form re-rendered"),
    Rule("employment:base_edit", enterprise_only(), args=pk("base")),
    Rule("employment:base_edit", enterprise_only(), args=pk("base"), method="POST",
         data={"name": ""}, label="no name: form re-rendered"),
    Rule("employment:base_edit", enterprise_only(NOT_FOUND, superuser=OK),
         args=pk("their_base"), label="another enterprise's base"),
    Rule("employment:base_edit", enterprise_only(NOT_FOUND, superuser=OK),
         args=pk("their_base"), method="POST", data={"name": "改名"},
         label="crafted POST to another enterprise's base"),
    Rule("employment:base_edit", enterprise_only(NOT_FOUND), args=unknown, label="unknown"),
    Rule("employment:training_create", enterprise_only(), args=lambda w: (fx(w), None)[1]),
    Rule("employment:training_create", enterprise_only(), method="POST",
         label="empty form re-rendered"),
    Rule("employment:training_edit", enterprise_only(), args=pk("place")),
    Rule("employment:training_edit", enterprise_only(NOT_FOUND), args=unknown,
         label="unknown"),
]

API = [
    Rule("api-v1:me_matches", api_person(), args=lambda w: (fx(w), None)[1]),
    # Paging is validated before anything else: 422 for every signed-in caller.
    Rule("api-v1:me_matches", expect(BAD_REQUEST, anonymous=UNAUTHORIZED),
         label="bad page size: 422", query="page_size=1000"),
    Rule("api-v1:job", api_opening(), args=lambda w: {"job_id": fx(w)["job"].pk}),
    Rule("api-v1:job", api_opening(other_supervisee=NOT_FOUND),
         args=lambda w: {"job_id": fx(w)["banned_job"].pk}, label="excluded for squad 2"),
    Rule("api-v1:job", api_opening(NOT_FOUND), args=lambda w: {"job_id": 987654321},
         label="unknown job"),
    Rule("api-v1:job_apply", api_person(CONFLICT, other_supervisee=OK),
         args=lambda w: {"job_id": fx(w)["job"].pk}, method="POST",
         data={"message": ""},
         content_type=JSON, label="squad 1 applied already: 409; squad 2: 201"),
    Rule("api-v1:job_apply", api_person(OK, other_supervisee=NOT_FOUND),
         args=lambda w: {"job_id": fx(w)["banned_job"].pk}, method="POST",
         data={"message": ""},
         content_type=JSON, label="excluded for squad 2: 404"),
    Rule("api-v1:me_applications", api_person(), args=lambda w: (fx(w), None)[1]),
    Rule("api-v1:application_withdraw", api_person(OK, other_supervisee=NOT_FOUND),
         args=lambda w: {"application_id": fx(w)["application"].pk}, method="POST"),
    Rule("api-v1:application_answer", api_person(OK, other_supervisee=NOT_FOUND),
         args=lambda w: {"application_id": fx(w)["recommendation"].pk}, method="POST",
         data={"agree": False}, content_type=JSON),
    Rule("api-v1:application_answer", expect(BAD_REQUEST, anonymous=UNAUTHORIZED),
         args=lambda w: {"application_id": fx(w)["recommendation"].pk}, method="POST",
         data={"agree": "perhaps"}, content_type=JSON, label="bad body: 422"),
]

ADMIN = []
for _ns, _key in (("xy_help_agreements", "agreement"), ("xy_training_bases", "base")):
    ADMIN += [
        Rule(f"{_ns}:index", admin(OK), args=lambda w: (fx(w), None)[1]),
        Rule(f"{_ns}:index_results", admin(OK)),
        Rule(f"{_ns}:add", admin(OK)),
        Rule(f"{_ns}:add", admin(OK), method="POST", label="empty form re-rendered"),
        *(Rule(f"{_ns}:{view}", admin(OK), args=pk(_key))
          for view in ("edit", "history", "history_results", "usage")),
        *(Rule(f"{_ns}:{view}", admin(NOT_FOUND), args=unknown, label="unknown id")
          for view in ("edit", "delete", "history", "history_results", "usage")),
    ]

ADMIN += [
    Rule("xy_help_agreements:delete", admin(OK), args=pk("agreement")),
    # A base with training places is not deleted: back to its edit screen with a message.
    Rule("xy_training_bases:delete", admin(REDIRECT), args=pk("base"),
         label="a base with training places"),
]

RULES = [*WEB, *API, *ADMIN]
