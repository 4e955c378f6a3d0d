"""Providers' services appear on their public partner page (cms PartnerPage)."""

import pytest
from django.template import Context, Template

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_partner_page_lists_active_help_services_only(world):
    f.help_service_create(world.ngo, name="家庭关系辅导", type="family")
    f.help_service_create(world.ngo, name="已停办的小组", active=False)
    html = Template("{% load helpnet_tags %}{% help_services org as s %}"
                    "{% for x in s %}[{{ x.name }}]{% endfor %}").render(
        Context({"org": world.ngo}))
    assert html == "[家庭关系辅导]"
    f.help_service_create(world.enterprise, name="不该出现")
    html = Template("{% load helpnet_tags %}{% help_services org as s %}{{ s|length }}").render(
        Context({"org": world.enterprise}))
    assert html == "0"
