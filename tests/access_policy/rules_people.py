"""Access policy for supervisee records (/people/), dashboards (/dashboard/), the person's
own record (/me/) and the inbox (/messages/).

Staff pages refuse roles that never work with records (403: supervisees, partner staff,
editors) before looking anything up; for staff, a record outside what portal.access lets
them see is 404, the same answer as a record that does not exist."""

from tests.access_policy.spec import (
    BAD_REQUEST,
    FORBIDDEN,
    LOGGED_IN,
    NOT_FOUND,
    OK,
    REDIRECT,
    REDIRECT_LOGIN,
    STAFF_ONLY,
    Rule,
    expect,
)

NOT_STAFF = {"supervisee": FORBIDDEN, "other_supervisee": FORBIDDEN, "ngo": FORBIDDEN,
             "enterprise": FORBIDDEN, "editor": FORBIDDEN, "anonymous": REDIRECT_LOGIN}

# Which staff see which record (portal.access.supervisees_visible_to):
RECORDS = {
    # squad 1, adult, assigned to "caseworker"
    "squad-1 supervisee": (lambda w: {"pk": w.supervisee.pk},
                           {"caseworker": True, "other_caseworker": False}),
    # squad 2, adult
    "squad-2 supervisee": (lambda w: {"pk": w.other_supervisee.pk},
                           {"caseworker": False, "other_caseworker": True}),
    # squad 1, juvenile, assigned to "caseworker": another squad-1 caseworker would not see it
    "juvenile": (lambda w: {"pk": w.juvenile.pk},
                 {"caseworker": True, "other_caseworker": False}),
    "unknown id": (lambda w: {"pk": 987654321},
                   {"caseworker": False, "other_caseworker": False, "unit_admin": False,
                    "superuser": False}),
}


def per_record(name: str, *, seen: str, method: str = "GET", data=None) -> list[Rule]:
    """One rule per record: `seen` for staff who may open it, 404 for staff who may not."""
    rules = []
    for label, (args, visibility) in RECORDS.items():
        staff = {role: (seen if visibility.get(role, True) else NOT_FOUND)
                 for role in ("caseworker", "other_caseworker", "unit_admin", "superuser")}
        rules.append(Rule(name, args=args, label=label, method=method, data=data or {},
                          expect=expect(FORBIDDEN, **NOT_STAFF, **staff)))
    return rules


POST_ONLY = expect(BAD_REQUEST, anonymous=REDIRECT_LOGIN)

RULES = [
    # --- /people/: staff pages --------------------------------------------------------------
    Rule("people:list", STAFF_ONLY),
    Rule("people:list", STAFF_ONLY, label="bad filter values are ignored, not a 500",
         query="unit=abc&level=nonsense&status=x&juvenile=maybe&page=-3&order=evil"),
    Rule("people:create", STAFF_ONLY),
    Rule("people:create", STAFF_ONLY, method="POST", label="empty form re-rendered"),
    Rule("people:unit_access_log",
         expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, unit_admin=OK, superuser=OK)),
    Rule("people:unit_access_log",
         expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, unit_admin=OK, superuser=OK),
         label="bad filter values", query="staff=abc&date_from=2024-13-45&person="),
    *per_record("people:detail", seen=OK),
    *per_record("people:edit", seen=OK),
    # An empty POST is an invalid form: re-rendered with messages, nothing saved.
    *per_record("people:edit", seen=OK, method="POST"),
    *per_record("people:access_log", seen=OK),
    *per_record("people:invite", seen=REDIRECT, method="POST"),
    Rule("people:invite", POST_ONLY, args=lambda w: {"pk": w.supervisee.pk}, label="GET"),
    # An empty POST is an unreadable choice: back to the record with a message.
    *per_record("people:consent", seen=REDIRECT, method="POST"),
    Rule("people:consent", POST_ONLY, args=lambda w: {"pk": w.supervisee.pk}, label="GET"),

    # --- /dashboard/: every signed-in role has one ---------------------------------------------
    Rule("dashboard", LOGGED_IN),

    # --- /me/: the person's own record; others have none (404) --------------------------------
    Rule("me_record", expect(NOT_FOUND, anonymous=REDIRECT_LOGIN, supervisee=OK,
                             other_supervisee=OK)),
    Rule("me_consent", expect(NOT_FOUND, anonymous=REDIRECT_LOGIN, supervisee=REDIRECT,
                              other_supervisee=REDIRECT), method="POST",
         label="empty choice: message, nothing saved"),
    Rule("me_consent", expect(NOT_FOUND, anonymous=REDIRECT_LOGIN, supervisee=REDIRECT,
                              other_supervisee=REDIRECT), method="POST",
         data={"kind": "certificate", "granted": "1"}, label="grant"),
    Rule("me_consent", POST_ONLY, label="GET"),

    # --- /messages/: one's own inbox --------------------------------------------------------------
    Rule("notifications", LOGGED_IN),
    Rule("notifications_read", expect(REDIRECT, anonymous=REDIRECT_LOGIN), method="POST"),
    Rule("notifications_read", POST_ONLY, label="GET"),
]
