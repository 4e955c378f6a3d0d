"""Access policy for casework (/casework/): the person's casework page and help plan, the
today list, CSV exports, unit dashboards and reports, and the person's own data export.

Staff pages refuse roles that never work with records (403) before looking anything up;
a person or unit outside what portal.access lets a staff member see is 404."""

from tests.access_policy.rules_people import NOT_STAFF, per_record
from tests.access_policy.spec import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    REDIRECT_LOGIN,
    STAFF_ONLY,
    Rule,
    expect,
)

MONTH = "period=month&month=2026-01&format=xlsx"
QUARTER = "period=quarter&quarter=2026-Q1&format=pdf"

# Which staff may open which unit's dashboard (portal.access.units_visible_to).
UNITS = {
    "bureau": (lambda w: {"pk": w.bureau.pk},
               {"caseworker": False, "other_caseworker": False}),
    "squad 1": (lambda w: {"pk": w.squad1.pk}, {"other_caseworker": False}),
    "squad 2": (lambda w: {"pk": w.squad2.pk}, {"caseworker": False}),
    "unknown unit": (lambda w: {"pk": 987654321},
                     {"caseworker": False, "other_caseworker": False, "unit_admin": False,
                      "superuser": False}),
}


def per_unit(name: str, *, seen: str, query: str = "", label: str = "") -> list[Rule]:
    rules = []
    for unit_label, (args, visibility) in UNITS.items():
        staff = {role: (seen if visibility.get(role, True) else NOT_FOUND)
                 for role in ("caseworker", "other_caseworker", "unit_admin", "superuser")}
        rules.append(Rule(name, args=args, label=f"{unit_label} {label}".strip(), query=query,
                          expect=expect(FORBIDDEN, **NOT_STAFF, **staff)))
    return rules


def labelled(rules: list[Rule], suffix: str) -> list[Rule]:
    for rule in rules:
        rule.label = f"{rule.label} {suffix}"
    return rules


OWN_DATA = expect(NOT_FOUND, anonymous=REDIRECT_LOGIN, supervisee=OK, other_supervisee=OK)

RULES = [
    Rule("casework:today", STAFF_ONLY),
    Rule("casework:today", STAFF_ONLY, label="nonsense 'mine' is a notice", query="mine=banana"),
    Rule("casework:today_csv", STAFF_ONLY),
    Rule("casework:caseload_csv", STAFF_ONLY),
    Rule("casework:caseload_csv", STAFF_ONLY, label="bad filter values are ignored",
         query="unit=abc&behind=maybe&open_referrals=x&order=evil"),
    *per_record("casework:person", seen=OK),
    Rule("casework:person", expect(FORBIDDEN, **NOT_STAFF, caseworker=OK, other_caseworker=NOT_FOUND,
                                   unit_admin=OK, superuser=OK),
         args=lambda w: {"pk": w.supervisee.pk}, label="bad timeline filters",
         query="kind=evil&date_from=2024-13-45&date_to=x"),
    *per_record("casework:plan_edit", seen=OK),
    # An empty plan is refused: the form comes back with a message, nothing saved.
    *per_record("casework:plan_edit", seen=OK, method="POST"),
    *labelled(per_record("casework:plan_edit", seen=REDIRECT, method="POST",
                         data={"goals": "稳定就业"}), "saved"),
    Rule("casework:unit_dashboard", STAFF_ONLY, label="own unit"),
    Rule("casework:unit_dashboard", STAFF_ONLY, label="nonsense unit is a notice",
         query="unit=abc"),
    *per_unit("casework:unit_dashboard", seen=OK),
    *per_unit("casework:unit_report", seen=OK, query=MONTH, label="monthly XLSX"),
    *per_unit("casework:unit_report", seen=OK, query=QUARTER, label="quarterly PDF"),
    *per_unit("casework:unit_report", seen=BAD_REQUEST, query="period=year&format=exe",
              label="nonsense period"),
    Rule("casework:my_export", OWN_DATA),
    Rule("casework:my_export", expect(BAD_REQUEST, anonymous=REDIRECT_LOGIN), method="POST",
         label="POST"),
]
