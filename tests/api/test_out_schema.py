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
