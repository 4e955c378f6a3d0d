"""Access policy for courses (/learning/), calendars (/calendar/), the check-in code
(/me/qr/) and the courses API (/api/v1/courses, /lessons, /sessions, /me/courses,
/me/study-hours, /me/calendar; a lesson's heartbeat and progress and a course's resume
point are for the enrolled person only: 403 for everyone else).

- The person's pages and actions are for people with a supervisee record (403 for
  everyone else, who takes no courses); the catalogue, course pages, lessons and a
  class's .ics file are public.
- Organiser pages are for unit staff and partner staff (403 for the rest); a class the
  user does not organise is 404, like one that does not exist. A bureau course's classes
  are organised by the bureau's line (both squads' caseworkers, the administrator), not
  by the NGO; the NGO's course is organised by the NGO and the bureau's line, not by the
  enterprise.
- Caseworker pages are staff-only; one person's history follows
  portal.access.supervisees_visible_to (404 outside it).
- The calendar feed needs no session: the secret token is the key; a tampered token is
  404 for everyone.

The courses, classes and the supervisee's calendar token are made on first use by the
`args` callables below and kept on the World for the rest of the test.
"""

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
CONFLICT = "HTTP 409"  # the runner reports a 409 by its status code


def fx(world) -> dict:
    """Courses, classes and a calendar token for the World, made once per test."""
    made = getattr(world, "_courses_fx", None)
    if made is not None:
        return made
    from portal.calendar.services import feed_create
    from tests.courses import factories as cf

    bureau_course = cf.course_create(title="民法典与生活", unit=world.bureau, lessons=1)
    ngo_course = cf.course_create(title="情绪管理", organisation=world.ngo,
                                  category_slug="mental-health")
    _feed, token = feed_create(user=world.users["supervisee"])
    made = {
        "course": bureau_course,
        "lesson": bureau_course.get_children().first(),
        "session": cf.session_create(bureau_course),
        "ngo_session": cf.session_create(ngo_course),
        "token": token,
    }
    world._courses_fx = made
    return made


def course(w):
    return {"course_id": fx(w)["course"].pk}


def lesson(w):
    return {"lesson_id": fx(w)["lesson"].pk}


def session(w):
    return {"pk": fx(w)["session"].pk}


def enrolled(w) -> dict:
    """A one-lesson course the supervisee (not the other supervisee) is enrolled in."""
    made = fx(w)
    if "enrolled_course" not in made:
        from courses.services import enrolment_create
        from tests.courses import factories as cf

        course = cf.course_create(title="防范电信诈骗", unit=w.bureau, lessons=1)
        enrolment_create(supervisee=w.supervisee, course=course)
        made["enrolled_course"] = course
        made["enrolled_lesson"] = course.get_children().first()
    return made


def enrolled_lesson(w):
    return {"lesson_id": enrolled(w)["enrolled_lesson"].pk}


def enrolled_course(w):
    return {"course_id": enrolled(w)["enrolled_course"].pk}


def ngo_session(w):
    return {"pk": fx(w)["ngo_session"].pk}


def with_courses(w):
    fx(w)
    return None


def unknown(w):
    fx(w)
    return {"pk": 987654321}


# Roles
PERSONS = ("supervisee", "other_supervisee")
NOT_PERSONS = ("caseworker", "other_caseworker", "unit_admin", "ngo", "enterprise", "editor",
               "superuser")
ORGANISERS = ("caseworker", "other_caseworker", "unit_admin", "superuser", "ngo",
              "counsellor", "enterprise")


def person_only(ok: str = OK) -> dict:
    return expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, **{r: ok for r in PERSONS})


def organisers(ok: str = OK, *, not_theirs: tuple = ()) -> dict:
    per_role = {r: ok for r in ORGANISERS}
    per_role.update({r: NOT_FOUND for r in not_theirs})
    return expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, **per_role)


# A bureau course's class: not the NGO's or the enterprise's.
BUREAU_CLASS = ("ngo", "counsellor", "enterprise")
# The NGO's class: not the enterprise's.
NGO_CLASS = ("counsellor", "enterprise")
NOT_STAFF = {"supervisee": FORBIDDEN, "other_supervisee": FORBIDDEN, "ngo": FORBIDDEN,
             "enterprise": FORBIDDEN, "editor": FORBIDDEN, "anonymous": REDIRECT_LOGIN}


def per_record(name: str, *, seen: str, method: str = "GET", data=None) -> list[Rule]:
    records = {
        "squad-1 supervisee": (lambda w: {"pk": w.supervisee.pk},
                               {"caseworker": seen, "other_caseworker": NOT_FOUND}),
        "squad-2 supervisee": (lambda w: {"pk": w.other_supervisee.pk},
                               {"caseworker": NOT_FOUND, "other_caseworker": seen}),
        "juvenile": (lambda w: {"pk": w.juvenile.pk},
                     {"caseworker": seen, "other_caseworker": NOT_FOUND}),
        "unknown id": (lambda w: {"pk": 987654321},
                       {"caseworker": NOT_FOUND, "other_caseworker": NOT_FOUND,
                        "unit_admin": NOT_FOUND, "superuser": NOT_FOUND}),
    }
    rules = []
    for label, (args, staff) in records.items():
        outcome = {"unit_admin": seen, "superuser": seen, **staff}
        rules.append(Rule(name, args=args, label=label, method=method, data=data or {},
                          expect=expect(FORBIDDEN, **NOT_STAFF, **outcome)))
    return rules


# API: anonymous gets 401; people without a supervisee record 403 ("not_a_learner").
def api_person(ok: str = OK) -> dict:
    return expect(FORBIDDEN, anonymous=UNAUTHORIZED, **{r: ok for r in PERSONS})


API_LOGGED_IN = expect(OK, anonymous=UNAUTHORIZED)
API_ENROLLED = expect(FORBIDDEN, anonymous=UNAUTHORIZED, supervisee=OK)

RULES = [
    # --- The person -------------------------------------------------------------------------
    Rule("courses:mine", person_only()),
    Rule("courses:my_hours", person_only()),
    Rule("courses:my_hours", person_only(), label="a month that is not one: a message",
         query="month=2026-13"),
    Rule("courses:enrol", person_only(REDIRECT), args=course, method="POST"),
    Rule("courses:enrol", expect(BAD_REQUEST, anonymous=REDIRECT_LOGIN), args=course,
         label="GET is refused"),
    Rule("courses:enrol", person_only(NOT_FOUND), args=lambda w: {"course_id": 987654321},
         method="POST", label="unknown course"),
    Rule("courses:lesson_complete", person_only(REDIRECT), args=lesson, method="POST",
         label="not enrolled: a message, nothing recorded"),
    Rule("courses:lesson_complete", person_only(NOT_FOUND),
         args=lambda w: {"lesson_id": 987654321}, method="POST", label="unknown lesson"),
    Rule("courses:signup", person_only(REDIRECT), args=session, method="POST"),
    Rule("courses:signup", person_only(NOT_FOUND), args=unknown, method="POST",
         label="unknown class"),
    Rule("courses:signup_cancel", person_only(REDIRECT), args=session, method="POST",
         label="not signed up: a message"),
    Rule("courses:session_ics", PUBLIC, args=session),
    Rule("courses:session_ics", expect(NOT_FOUND), args=unknown, label="unknown class"),

    # --- Organisers ---------------------------------------------------------------------------
    Rule("courses:organiser_sessions", organisers()),
    Rule("courses:organiser_sessions", organisers(), label="past classes", query="past=1"),
    Rule("courses:session_new", organisers()),
    Rule("courses:session_new", organisers(), method="POST",
         label="empty form re-rendered with errors"),
    Rule("courses:attendance", organisers(not_theirs=BUREAU_CLASS), args=session),
    Rule("courses:attendance", organisers(not_theirs=NGO_CLASS), args=ngo_session,
         label="NGO class"),
    Rule("courses:attendance", organisers(not_theirs=ORGANISERS), args=unknown,
         label="unknown class"),
    Rule("courses:attendance", organisers(REDIRECT, not_theirs=BUREAU_CLASS), args=session,
         method="POST", label="mark someone not on the list: a message"),
    Rule("courses:session_edit", organisers(not_theirs=BUREAU_CLASS), args=session),
    Rule("courses:session_edit", organisers(not_theirs=NGO_CLASS), args=ngo_session,
         label="NGO class"),
    Rule("courses:session_cancel", organisers(REDIRECT, not_theirs=BUREAU_CLASS),
         args=session, method="POST"),
    Rule("courses:scan", organisers(not_theirs=BUREAU_CLASS), args=session),
    Rule("courses:scan", organisers(REDIRECT, not_theirs=BUREAU_CLASS), args=session,
         method="POST", label="no code: a message", data={"payload": "nonsense"}),
    Rule("courses:attendance_withdraw", organisers(REDIRECT, not_theirs=BUREAU_CLASS),
         args=session, method="POST", label="nobody to correct: a message"),
    Rule("courses:attendance_csv", organisers(not_theirs=BUREAU_CLASS), args=session),
    Rule("courses:attendance_csv", organisers(not_theirs=NGO_CLASS), args=ngo_session,
         label="NGO class"),

    # --- Caseworkers ---------------------------------------------------------------------------
    Rule("courses:behind", STAFF_ONLY),
    Rule("courses:behind", STAFF_ONLY, label="only mine", query="mine=1"),
    Rule("courses:assign", STAFF_ONLY),
    Rule("courses:assign", STAFF_ONLY, method="POST", label="empty form re-rendered"),
    *per_record("courses:person_history", seen=OK),
    *per_record("courses:hours_correct", seen=REDIRECT, method="POST"),

    # --- Calendar and check-in code ---------------------------------------------------------------
    Rule("calendar:settings", LOGGED_IN),
    Rule("calendar:new", expect(REDIRECT, anonymous=REDIRECT_LOGIN), method="POST"),
    Rule("calendar:new", expect(BAD_REQUEST, anonymous=REDIRECT_LOGIN), label="GET is refused"),
    Rule("calendar:revoke", expect(REDIRECT, anonymous=REDIRECT_LOGIN), method="POST"),
    Rule("calendar:feed", PUBLIC, args=lambda w: {"token": fx(w)["token"]},
         label="the supervisee's token"),
    Rule("calendar:feed", expect(NOT_FOUND),
         args=lambda w: {"token": fx(w)["token"][:-1] + ("0" if fx(w)["token"][-1] != "0"
                                                          else "1")},
         label="tampered token"),
    Rule("checkin:my_qr", LOGGED_IN),

    # --- API ---------------------------------------------------------------------------------------
    Rule("api-v1:courses", PUBLIC, args=with_courses),
    Rule("api-v1:courses", expect(BAD_REQUEST), label="bad filter value",
         query="format=teleport"),
    Rule("api-v1:course", PUBLIC, args=course),
    Rule("api-v1:course", expect(NOT_FOUND), args=lambda w: {"course_id": 987654321},
         label="unknown course"),
    Rule("api-v1:course_enrol", api_person(), args=course, method="POST"),
    Rule("api-v1:lesson", PUBLIC, args=lesson),
    Rule("api-v1:lesson_complete", api_person(FORBIDDEN), args=lesson, method="POST",
         data={"answers": {}}, content_type=JSON, label="not enrolled: 403 not_enrolled"),
    # Study time and "continue learning": the enrolled person only.
    Rule("api-v1:lesson_heartbeat", API_ENROLLED, args=enrolled_lesson, method="POST",
         data={"seconds": 0}, content_type=JSON),
    Rule("api-v1:lesson_heartbeat", api_person(FORBIDDEN), args=lesson, method="POST",
         data={"seconds": 0}, content_type=JSON, label="not enrolled: 403 not_enrolled"),
    Rule("api-v1:lesson_heartbeat", api_person(NOT_FOUND),
         args=lambda w: {"lesson_id": 987654321}, method="POST", data={"seconds": 0},
         content_type=JSON, label="unknown lesson"),
    Rule("api-v1:lesson_progress", API_ENROLLED, args=enrolled_lesson),
    Rule("api-v1:lesson_progress", api_person(FORBIDDEN), args=lesson,
         label="not enrolled: 403 not_enrolled"),
    Rule("api-v1:course_resume", API_ENROLLED, args=enrolled_course),
    Rule("api-v1:course_resume", api_person(FORBIDDEN), args=course,
         label="not enrolled: 403 not_enrolled"),
    Rule("api-v1:me_courses", api_person()),
    Rule("api-v1:sessions", PUBLIC),
    Rule("api-v1:session_signup", api_person(), args=lambda w: {"session_id": session(w)["pk"]},
         method="POST"),
    Rule("api-v1:session_signup", api_person(CONFLICT),
         args=lambda w: {"session_id": session(w)["pk"]}, method="DELETE",
         label="not signed up: 409"),
    Rule("api-v1:me_study_hours", api_person()),
    Rule("api-v1:me_study_hours", api_person(BAD_REQUEST), label="bad month: 422",
         query="month=May"),
    Rule("api-v1:me_calendar", API_LOGGED_IN),
    Rule("api-v1:me_calendar", API_LOGGED_IN, method="POST", label="new address"),
    Rule("api-v1:me_calendar", API_LOGGED_IN, method="DELETE", label="revoke"),
]
