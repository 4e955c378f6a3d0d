"""Access policy for check-in by phone: the person's code page and its fresh-code API
(/me/qr/, /api/v1/me/checkin-code), the service worker, the page a scanned code opens
(/checkin/c/<code>/), and self check-in from an activity's poster (/service/checkin/
<token>/, the poster page, the organiser's confirmation, and their API twins).

- The scanned code's page answers everyone 200: the organiser of an activity the person
  is on today gets the check-in steps, everyone else (anonymous too) the same neutral
  page, which names nobody (tests/checkin/test_phone_checkin.py checks what it shows).
- Self check-in is for people (supervisee records): 403 for anyone else; a token that is
  no activity's poster is 404.
- The poster and the confirmation are the activity's organisers' (404 for other
  organisers, 403 for everyone else), like the rest of the attendance pages.
"""

from tests.access_policy.rules_volunteering import (
    CONFLICT,
    JSON,
    NGO_ORGANISERS,
    PERSONS,
    a,
    api_a,
    api_ngo_organisers,
    fx,
    on_started,
    organisers,
    person_only,
)
from tests.access_policy.spec import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    PUBLIC,
    REDIRECT,
    UNAUTHORIZED,
    Rule,
    expect,
)


def person_code(w):
    from portal.checkin.services import checkin_payload_for

    fx(w)
    return {"payload": checkin_payload_for(w.supervisee.user)}


def poster(key):
    def args(w):
        from volunteering.services import poster_token

        return {"token": poster_token(fx(w)[key])}

    return args


RULES = [
    Rule("checkin:service_worker", PUBLIC),
    Rule("checkin:scan", PUBLIC, args=person_code,
         label="a person's code: steps for the organiser, a neutral page for the rest"),
    Rule("checkin:scan", PUBLIC, args=lambda w: {"payload": "XY1.forged:abc:def"},
         label="a forged code: the same neutral page"),
    Rule("api-v1:me_checkin_code", expect(OK, anonymous=UNAUTHORIZED)),

    Rule("volunteering:poster", organisers(theirs=NGO_ORGANISERS), args=a("activity")),
    Rule("volunteering:self_checkin", person_only(), args=poster("started")),
    Rule("volunteering:self_checkin", person_only(REDIRECT), args=poster("started"),
         method="POST", label="already checked out, or no place: a message"),
    Rule("volunteering:self_checkin", person_only(NOT_FOUND),
         args=lambda w: {"token": "1:forged"}, label="a token that is no poster's"),
    Rule("volunteering:confirm", organisers(REDIRECT, theirs=NGO_ORGANISERS), args=on_started,
         method="POST", label="nothing to confirm: a message"),

    Rule("api-v1:self_checkin", expect(FORBIDDEN, anonymous=UNAUTHORIZED,
                                       **{r: NOT_FOUND for r in PERSONS}),
         method="POST", data={"token": "1:forged"}, content_type=JSON,
         label="a token that is no poster's: 404 invalid_poster"),
    Rule("api-v1:activity_signup_confirm", api_ngo_organisers(CONFLICT),
         args=lambda w: {**api_a("started")(w), "signup_id": fx(w)["signup"].pk},
         method="POST", label="nothing to confirm: 409"),
]
