"""The casework rules of the access policy (tests/access_policy/rules_casework.py), run on
their own so this area's refusals are checked with its tests."""

from tests.access_policy import rules_casework
from tests.access_policy.test_access_policy import Asker, check_rule, table


def test_casework_rules_hold_for_every_role(world):
    asker = Asker(world)
    mismatches = []
    for rule in rules_casework.RULES:
        mismatches += check_rule(rule, asker)
    assert not mismatches, table(mismatches)
