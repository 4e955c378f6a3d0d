from dataclasses import dataclass

import pytest

from portal.organisations.models import Membership, Organisation
from tests import factories as f


@dataclass
class OtherCounty:
    """A second county the world's unit administrator must never reach."""

    bureau: object
    squad: object
    partner: object
    caseworker: object
    membership: object
    supervisee: object


@pytest.fixture
def other_county(world):
    bureau = f.unit_create("邻县司法局")
    squad = f.unit_create("邻县一中队", kind="squad", parent=bureau)
    partner = f.OrganisationFactory(name="邻县社工站", kind=Organisation.Kind.NGO,
                                    partner_unit=bureau)
    caseworker = f.caseworker_create(squad, username="neighbour_caseworker")
    supervisee = f.SuperviseeFactory(unit=squad, legal_name="孙邻")
    return OtherCounty(bureau=bureau, squad=squad, partner=partner, caseworker=caseworker,
                       membership=Membership.objects.get(user=caseworker),
                       supervisee=supervisee)


@pytest.fixture
def as_unit_admin(world, login):
    return login(world.users["unit_admin"])


@pytest.fixture
def as_superuser(world, login):
    return login(world.users["superuser"])
