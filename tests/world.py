"""The cast the access-policy test (and other tests) play with: one county bureau with two
squads, a supervisee and a juvenile in squad 1, another supervisee in squad 2, partner
staff, an editor. Roles are the keys of `World.users`."""

from dataclasses import dataclass, field

from portal.organisations.models import Membership, Organisation
from tests import factories as f

ROLES = (
    "anonymous", "supervisee", "other_supervisee", "caseworker", "other_caseworker",
    "unit_admin", "ngo", "counsellor", "enterprise", "editor", "superuser",
)


@dataclass
class World:
    bureau: object
    squad1: object
    squad2: object
    ngo: object
    counselling: object  # a counselling provider; its staff is the "counsellor" role
    enterprise: object
    supervisee: object  # the record of the "supervisee" role, in squad 1
    other_supervisee: object  # in squad 2
    juvenile: object  # in squad 1, assigned to "caseworker"
    users: dict = field(default_factory=dict)


def build_world() -> World:
    bureau = f.unit_create("示范县司法局")
    squad1 = f.unit_create("第一中队", kind="squad", parent=bureau)
    bureau.refresh_from_db()
    squad2 = f.unit_create("第二中队", kind="squad", parent=bureau)
    ngo = f.OrganisationFactory(name="阳光社工", kind=Organisation.Kind.NGO, partner_unit=bureau)
    counselling = f.OrganisationFactory(name="心晴心理咨询中心", kind=Organisation.Kind.COUNSELLING,
                                        partner_unit=bureau)
    enterprise = f.OrganisationFactory(name="金银花产业园", kind=Organisation.Kind.ENTERPRISE,
                                       partner_unit=bureau)
    caseworker = f.caseworker_create(squad1, username="caseworker")
    other_caseworker = f.caseworker_create(squad2, username="caseworker2")
    unit_admin = f.caseworker_create(bureau, role=Membership.Role.UNIT_ADMIN,
                                     username="unitadmin")
    supervisee = f.SuperviseeFactory(user=f.UserFactory(username="supervisee"), unit=squad1,
                                     caseworker=caseworker, legal_name="李明")
    other = f.SuperviseeFactory(user=f.UserFactory(username="supervisee2"), unit=squad2,
                                caseworker=other_caseworker, legal_name="王强", level="strict")
    juvenile = f.SuperviseeFactory(user=f.UserFactory(username="juvenile"), unit=squad1,
                                   caseworker=caseworker, legal_name="赵小军", is_juvenile=True)
    users = {
        "anonymous": None,
        "supervisee": supervisee.user,
        "other_supervisee": other.user,
        "caseworker": caseworker,
        "other_caseworker": other_caseworker,
        "unit_admin": unit_admin,
        "ngo": f.partner_staff_create(ngo, username="ngo"),
        "counsellor": f.partner_staff_create(counselling, username="counsellor"),
        "enterprise": f.partner_staff_create(enterprise, username="enterprise"),
        "editor": f.editor_create(username="editor"),
        "superuser": f.UserFactory(username="admin", is_superuser=True, is_staff=True),
        "juvenile": juvenile.user,
    }
    return World(bureau=bureau, squad1=squad1, squad2=squad2, ngo=ngo, counselling=counselling,
                 enterprise=enterprise,
                 supervisee=supervisee, other_supervisee=other, juvenile=juvenile, users=users)
