"""Field types shared by the API's schemas."""

import datetime
from typing import Annotated, Any

from django.utils import timezone
from ninja import Schema, renderers
from ninja.responses import NinjaJSONEncoder
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, ModelWrapValidatorHandler, ValidationInfo, model_validator

_ZONE = "xy_timezone"


def _local(value: datetime.datetime, info: ValidationInfo) -> datetime.datetime:
    """timezone.localtime(value) (a naive value taken as the portal's time first). The
    current time zone is looked up once per response and kept in the validation's context
    (ninja gives each response its own), as a page holds many moments."""
    context = info.context
    zone = context.get(_ZONE) if type(context) is dict else None
    if zone is None:
        zone = timezone.get_current_timezone()
        if type(context) is dict:
            context[_ZONE] = zone
    if value.utcoffset() is None:
        value = timezone.make_aware(value, zone)
    return value.astimezone(zone)


# A moment in time, answered in ISO 8601 with the portal's offset (Asia/Shanghai, +08:00),
# e.g. "2025-03-01T09:30:00+08:00"; the database keeps UTC.
LocalDateTime = Annotated[datetime.datetime, AfterValidator(_local)]


class Out(Schema):
    """A response schema. The views answer plain dicts (and lists of them), which pydantic
    validates as they are; ninja's Schema would first wrap each one in its attribute
    getter (DjangoGetter), which on a list of twenty activities was a third of the
    request's time. Anything else (a model instance) still goes through the getter."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler,
                            info: ValidationInfo) -> Any:
        if type(values) is dict:
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


class JSONEncoder(NinjaJSONEncoder):
    """Ninja's encoder (Django's for dates, decimals and the like) that looks at a moment
    first: an API list of twenty activities has sixty of them, each otherwise asked
    whether it is a pydantic model, a URL, an address or an enumeration on the way.
    The text is Django's (ECMA-262: milliseconds, "Z" for UTC)."""

    def default(self, o: Any) -> Any:
        if type(o) is datetime.datetime:
            text = o.isoformat()
            if o.microsecond:
                text = text[:23] + text[26:]
            if text.endswith("+00:00"):
                text = text.removesuffix("+00:00") + "Z"
            return text
        return super().default(o)


class JSONRenderer(renderers.JSONRenderer):
    encoder_class = JSONEncoder


class TermOut(Out):
    """An entry of a code list (a theme, a district, a skill): its code and its name."""

    code: str
    name: str
