"""portal/ops/ormspeed.py: the fast `Col.identity` equals Django's own, so every query
compiles to the same SQL as without it."""

import pytest
from django.apps import apps
from django.db.models import F, Q
from django.db.models.expressions import Col

from portal.ops import ormspeed
from portal.people.models import Supervisee
from volunteering.models import HoursEntry


def every_column():
    for model in apps.get_models():
        yield from model._meta.concrete_fields


def make_col(form, field, other):
    if form == "positional":
        return Col("T1", field)
    if form == "keyword":
        return Col(alias="T1", target=field)
    if form == "output":
        return Col("T1", field, other)
    if form == "output_keyword":
        return Col("T1", field, output_field=other)
    return Col(None, field)


def test_installed_on_this_django():
    assert ormspeed.applicable(), (
        "Django's Col or Expression.identity changed: check col_identity against it")
    assert Col._xy_fast_identity
    assert Col.__dict__["identity"].func is ormspeed.col_identity


@pytest.mark.parametrize("form", ["positional", "keyword", "output", "output_keyword",
                                  "no_alias"])
def test_same_identity_as_django_for_every_column(form):
    other = Supervisee._meta.get_field("legal_name")
    count = 0
    for field in every_column():
        col = make_col(form, field, other)
        assert col.identity == ormspeed.django_identity(col), field
        count += 1
    assert count > 300  # every concrete column of every model was compared


def test_equality_and_hash_distinguish_what_django_distinguishes():
    name = Supervisee._meta.get_field("legal_name")
    alias = Supervisee._meta.get_field("alias")
    assert Col("T1", name) == Col("T1", name)
    assert hash(Col("T1", name)) == hash(Col(alias="T1", target=name))
    assert Col("T1", name) != Col("T2", name)
    assert Col("T1", name) != Col("T1", alias)
    # Passing the output field explicitly is a different identity in Django too.
    assert (Col("T1", name) == Col("T1", name, name)) == (
        ormspeed.django_identity(Col("T1", name))
        == ormspeed.django_identity(Col("T1", name, name)))
    assert len({Col("T1", name), Col("T1", name), Col("T2", name)}) == 2


def test_relabelled_clones_keep_django_identity():
    col = Col("T1", Supervisee._meta.get_field("legal_name"))
    clone = col.relabeled_clone({"T1": "U0"})
    assert clone.identity == ormspeed.django_identity(clone)
    assert clone != col


@pytest.mark.django_db
def test_queries_compile_to_the_same_sql_as_with_djangos_identity(monkeypatch):
    querysets = [
        lambda: Supervisee.objects.select_related("unit", "caseworker", "home_district")
        .filter(Q(level="strict") | Q(unit__path__startswith="0001")).order_by("legal_name",
                                                                               "-pk"),
        lambda: HoursEntry.objects.filter(supervisee__unit__depth=2)
        .values("supervisee", "kind").annotate(total=F("hours")).order_by("supervisee"),
        lambda: Supervisee.objects.filter(pk__in=HoursEntry.objects.values("supervisee"))
        .distinct().order_by("unit__path"),
    ]
    fast = [str(make().query) for make in querysets]
    monkeypatch.setattr(Col, "identity", Col.__dict__["identity"])  # restored after
    from django.utils.functional import cached_property

    slow = cached_property(ormspeed.django_identity)
    slow.__set_name__(Col, "identity")
    monkeypatch.setattr(Col, "identity", slow)
    assert [str(make().query) for make in querysets] == fast
