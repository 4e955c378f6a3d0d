"""Factories for tests. Build what a test needs with these, not by hand."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.access import EDITORS_GROUP
from portal.accounts.models import User
from portal.organisations.models import Membership, Organisation, Unit
from portal.people.models import Supervisee
from portal.taxonomy.models import District, Industry, Skill, VenueType

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"第{n}镇")
    county = "示范县"


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.Sequence(lambda n: f"技能{n}")


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"industry-{n}")
    name = factory.Sequence(lambda n: f"行业{n}")


class VenueTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VenueType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"venue-{n}")
    name = factory.Sequence(lambda n: f"场所{n}")


def unit_create(name="示范县司法局", kind=Unit.Kind.BUREAU, parent=None) -> Unit:
    if parent is None:
        return Unit.add_root(name=name, kind=kind)
    return parent.add_child(name=name, kind=kind)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"合作机构{n}")
    kind = Organisation.Kind.NGO


def caseworker_create(unit, role=Membership.Role.CASEWORKER, **kwargs) -> User:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def partner_staff_create(organisation, role=Membership.Role.PARTNER_STAFF, **kwargs) -> User:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def editor_create(**kwargs) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


class SuperviseeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervisee

    user = factory.SubFactory(UserFactory)
    legal_name = factory.Sequence(lambda n: f"张{n}")
    unit = None  # required: pass unit=
    sentence_kind = Supervisee.SentenceKind.SUSPENDED
    term_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))
    term_end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=275))
    level = "ordinary"
    id_number = "410100199001011234"


# --- Help network (helpnet) -----------------------------------------------------------

def help_service_create(organisation, **kwargs):
    from helpnet.models import Service

    fields = {"name": "个案心理辅导", "type": Service.Type.COUNSELLING, "area": "全县",
              "contact": "0370-1234567", "capacity": 10}
    fields.update(kwargs)
    return Service.objects.create(organisation=organisation, **fields)


def counselling_slot_create(organisation, *, days: float = 2, minutes: int = 50, **kwargs):
    from helpnet.models import CounsellingSlot

    starts = timezone.now() + datetime.timedelta(days=days)
    return CounsellingSlot.objects.create(
        organisation=organisation, starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=minutes), **kwargs)
