"""Access policy for the JSON API (/api/v1/): auth, the caller's own profile and inbox,
the schema. Anonymous callers get 401 (never a login redirect); another person's object
is 404, the same answer as one that does not exist. The runner signs in with the browser
session; bearer tokens are covered by tests/api."""

from tests.access_policy.spec import BAD_REQUEST, NOT_FOUND, OK, UNAUTHORIZED, Rule, expect
from tests.factories import PASSWORD

SIGNED_IN = expect(OK, anonymous=UNAUTHORIZED)
EVERYONE_422 = expect(BAD_REQUEST, anonymous=UNAUTHORIZED)


def _supervisee_notification(world) -> dict:
    from portal.notifications.models import Notification

    notification, _ = Notification.objects.get_or_create(
        recipient=world.users["supervisee"], kind="policy", title="访问策略测试")
    return {"notification_id": notification.pk}


RULES = [
    # --- auth ---------------------------------------------------------------------------------
    Rule("api-v1:auth_token", expect(OK), method="POST", label="right password",
         data={"username": "supervisee", "password": PASSWORD},
         content_type="application/json"),
    Rule("api-v1:auth_token", expect(UNAUTHORIZED), method="POST", label="wrong password",
         data={"username": "supervisee", "password": "not-the-password"},
         content_type="application/json"),
    Rule("api-v1:auth_token", expect(BAD_REQUEST), method="POST", label="no fields"),
    Rule("api-v1:auth_token", expect(BAD_REQUEST), label="GET is not a method here"),
    # Revoking needs the bearer token itself; a session alone is not enough.
    Rule("api-v1:auth_token", expect(UNAUTHORIZED), method="DELETE", label="session only"),

    # --- code lists (issue 30): any signed-in caller, the same for everyone ---------------------
    Rule("api-v1:codes", SIGNED_IN),

    # --- me -----------------------------------------------------------------------------------
    Rule("api-v1:me", SIGNED_IN),
    Rule("api-v1:me_notifications", SIGNED_IN),
    Rule("api-v1:me_notifications", EVERYONE_422, label="bad paging",
         query="page=abc&page_size=10000"),
    Rule("api-v1:me_notification_read", method="POST", label="the supervisee's own",
         args=_supervisee_notification,
         expect=expect(NOT_FOUND, anonymous=UNAUTHORIZED, supervisee=OK)),
    Rule("api-v1:me_notification_read", method="POST", label="unknown id",
         args=lambda w: {"notification_id": 987654321},
         expect=expect(NOT_FOUND, anonymous=UNAUTHORIZED)),

    # --- the schema and the API's own answers -------------------------------------------------
    Rule("api-v1:openapi-json", expect(OK)),
    Rule("api-v1:openapi-view", expect(OK)),
    Rule("api-v1:api-root", expect(NOT_FOUND)),
    Rule("api-v1:not-found", expect(NOT_FOUND), args=lambda w: {"unknown": "no/such/thing"}),
]
