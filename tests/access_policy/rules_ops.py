"""Access policy for the retention screens in the Wagtail admin (portal/ops/viewsets.py).

Unit administrators set the retention period of the units they administer (add, change,
view; deleting a policy is the superusers'); a policy of another county is 404 for them,
as one that does not exist. The retention log is a read-only listing for the same people.
Editors are inside the admin but have no permission here (back to the admin home);
everyone else never gets in (see rules_admin)."""

from tests.access_policy.rules_admin import (
    SUPERUSERS,
    UNIT_ADMINS,
    UNKNOWN,
    _admin,
    _other_county,
)
from tests.access_policy.spec import NOT_FOUND, OK, REDIRECT, Rule


def _my_policy(w):
    from portal.ops.models import RetentionPolicy

    return RetentionPolicy.objects.get_or_create(
        unit=w.bureau, defaults={"years_after_release": 5})[0]


def _their_policy(w):
    from portal.ops.models import RetentionPolicy

    return RetentionPolicy.objects.get_or_create(
        unit=_other_county(w)["bureau"], defaults={"years_after_release": 8})[0]


def _pk(get):
    return lambda w: {"pk": get(w).pk}


OUT_OF_SCOPE = _admin(NOT_FOUND, REDIRECT, OK)
NOWHERE = _admin(NOT_FOUND, REDIRECT, NOT_FOUND)

RULES = [
    *(Rule(f"xy_retention:{view}", UNIT_ADMINS) for view in ("index", "index_results", "add")),
    Rule("xy_retention:add", UNIT_ADMINS, method="POST", label="empty form re-rendered"),
    *(Rule(f"xy_retention:{view}", expected, args=args, label=label)
      for view in ("edit", "history", "history_results", "usage")
      for label, args, expected in (
          ("my county's policy", _pk(_my_policy), UNIT_ADMINS),
          ("another county's policy", _pk(_their_policy), OUT_OF_SCOPE),
          ("unknown id", UNKNOWN, NOWHERE),
      )),
    # Out-of-range years: the form again with a message, nothing saved.
    Rule("xy_retention:edit", _admin(NOT_FOUND, REDIRECT, OK), method="POST",
         label="crafted POST for another county's policy, bad years",
         args=_pk(_their_policy), data={"years_after_release": "0"}),
    Rule("xy_retention:edit", _admin(NOT_FOUND, REDIRECT, REDIRECT), method="POST",
         label="crafted POST for another county's policy",
         args=_pk(_their_policy), data={"years_after_release": "8"}),
    # Deleting a policy is the superusers' (the unit then follows the unit above it).
    Rule("xy_retention:delete", SUPERUSERS, args=_pk(_my_policy), label="my county's policy"),
    Rule("xy_retention:delete", SUPERUSERS, args=_pk(_their_policy),
         label="another county's policy"),
    Rule("xy_retention:delete", _admin(REDIRECT, REDIRECT, NOT_FOUND), args=UNKNOWN,
         label="unknown id"),
    Rule("xy_retention_log:index", UNIT_ADMINS),
    Rule("xy_retention_log:index_results", UNIT_ADMINS),
    Rule("xy_retention_log:index", UNIT_ADMINS, label="bad filter values",
         query="action=nonsense&at_after=not-a-date"),
]
