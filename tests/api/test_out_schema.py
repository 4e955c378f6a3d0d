"""Response schemas (portal.api.schemas.Out) validate the views' plain dicts as they are,
and anything else as ninja's Schema does: the same answer either way."""

import datetime
from types import SimpleNamespace

import pytest
from ninja import Schema
from pydantic import ValidationError

from portal.api.schemas import LocalDateTime, Out


class _TermOut(Out):
    code: str
    name: str


class _ItemOut(Out):
    id: int
    starts_at: LocalDateTime
    theme: _TermOut
    skills: list[_TermOut]
    note: str | None = None


class _PlainTerm(Schema):
    code: str
    name: str


class _PlainItem(Schema):
    id: int
    starts_at: LocalDateTime
    theme: _PlainTerm
    skills: list[_PlainTerm]
    note: str | None = None


def _item(make):
    moment = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=datetime.UTC)
    return make(id=7, starts_at=moment, theme=make(code="patrol", name="巡逻"),
                skills=[make(code="it", name="电脑")])


def test_dicts_and_objects_give_what_ninjas_schema_gives():
    expected = _PlainItem.model_validate(_item(dict)).model_dump(mode="json")
    assert expected["starts_at"] == "2026-03-01T09:30:00+08:00"
    assert _ItemOut.model_validate(_item(dict)).model_dump(mode="json") == expected
    assert _ItemOut.model_validate(_item(SimpleNamespace)).model_dump(mode="json") == expected


def test_a_dict_missing_a_field_is_still_refused():
    item = _item(dict)
    del item["theme"]
    with pytest.raises(ValidationError):
        _ItemOut.model_validate(item)


def test_moments_are_in_the_current_time_zone_looked_up_once_a_response(monkeypatch):
    """LocalDateTime gives timezone.localtime's value (a naive value taken as the portal's
    time), in the zone in force; with a context (ninja gives each response one) the zone is
    looked up once for all the moments of the response."""
    from django.utils import timezone

    moment = datetime.datetime(2026, 3, 1, 1, 30, 15, 250000, tzinfo=datetime.UTC)
    items = [_item(dict), _item(dict) | {"starts_at": moment},
             _item(dict) | {"starts_at": datetime.datetime(2026, 3, 1, 9, 30)}]
    expected = [timezone.localtime(items[0]["starts_at"]), timezone.localtime(moment),
                timezone.localtime(timezone.make_aware(items[2]["starts_at"]))]
    looked_up = []
    real = timezone.get_current_timezone

    def counted():
        looked_up.append(1)
        return real()

    monkeypatch.setattr(timezone, "get_current_timezone", counted)
    got = [_ItemOut.model_validate(item, context={}).starts_at for item in items]
    assert got == expected and [m.utcoffset() for m in got] == [datetime.timedelta(hours=8)] * 3
    assert len(looked_up) == 3  # no context shared: once each
    context = {}
    for item in items:
        _ItemOut.model_validate(item, context=context)
    assert len(looked_up) == 4  # one context: once
    monkeypatch.setattr(timezone, "get_current_timezone", real)
    with timezone.override(datetime.UTC):
        in_utc = _ItemOut.model_validate(items[1], context={}).starts_at
        assert _ItemOut.model_validate(items[1]).starts_at == in_utc
    assert in_utc.utcoffset() == datetime.timedelta(0) and in_utc == moment


def test_the_apis_encoder_writes_what_ninjas_writes():
    """portal.api.schemas.JSONEncoder looks at a moment first; every value is written as
    ninja's own encoder writes it, byte for byte."""
    import decimal
    import enum
    import json
    import uuid
    import zoneinfo

    from ninja.responses import NinjaJSONEncoder

    from portal.api.schemas import JSONEncoder

    class Moment(datetime.datetime):
        pass

    class Colour(enum.Enum):
        RED = "red"

    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    values = [
        datetime.datetime(2026, 3, 1, 9, 30, tzinfo=shanghai),
        datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=shanghai),
        datetime.datetime(2026, 3, 1, 1, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 1, 30, 0, 999, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 1, 30),
        Moment(2026, 3, 1, 1, 30, tzinfo=datetime.UTC),
        datetime.date(2026, 3, 1), datetime.time(9, 30, 0, 5), decimal.Decimal("1.50"),
        uuid.UUID(int=7), Colour.RED, _TermOut(code="巡", name="巡逻"), "巡逻 <&>", 1.5, None,
    ]
    document = {"items": values, "count": len(values)}
    assert (json.dumps(document, cls=JSONEncoder)
            == json.dumps(document, cls=NinjaJSONEncoder))
    text = json.dumps(values, cls=JSONEncoder)
    assert '"2026-03-01T09:30:15.123+08:00"' in text and '"2026-03-01T01:30:00Z"' in text
