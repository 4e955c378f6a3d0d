"""The staff job board's filter at a province's size: a county filter, and the districts
grouped by county in their select."""

import re

from django.urls import reverse

from tests.i18n import zh


def _board(client, query=""):
    response = client.get(reverse("employment:board") + query)
    assert response.status_code == 200
    return response


def test_the_county_filter_keeps_the_jobs_of_that_county(emp, login):
    from .conftest import NEIGHBOUR

    emp.job(title="本县岗位", district=emp.home)
    emp.job(title="邻县岗位", district=emp.away)
    client = login(emp.world.users["caseworker"])
    html = _board(client, f"?county={NEIGHBOUR}").content.decode()
    assert "邻县岗位" in html and "本县岗位" not in html
    both = _board(client).content.decode()
    assert "邻县岗位" in both and "本县岗位" in both


def test_an_unknown_county_is_named_and_ignored(emp, login):
    emp.job(title="本县岗位", district=emp.home)
    response = _board(login(emp.world.users["caseworker"]), "?county=不存在的县")
    assert response.context["filter"].form.errors["county"]
    assert "本县岗位" in response.content.decode()


def test_the_districts_are_grouped_by_county(emp, login):
    from .conftest import COUNTY, NEIGHBOUR

    html = _board(login(emp.world.users["caseworker"])).content.decode()
    select = re.search(r'<select name="district"[^>]*>(.*?)</select>', html, re.S).group(1)
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S))
    assert {COUNTY, NEIGHBOUR} <= set(groups)
    assert 'value="home-town"' in groups[COUNTY] and 'value="other-town"' in groups[COUNTY]
    assert 'value="away-town"' in groups[NEIGHBOUR]
    assert zh("Any district") in select


def test_a_chosen_district_stays_selected_in_its_group(emp, login):
    html = _board(login(emp.world.users["caseworker"]), "?district=away-town").content.decode()
    assert re.search(r'<option value="away-town" selected>', html)
