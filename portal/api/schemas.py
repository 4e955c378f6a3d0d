"""Field types shared by the API's schemas."""

import datetime
from typing import Annotated, Any

from django.utils import timezone
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, ModelWrapValidatorHandler, ValidationInfo, model_validator


def _local(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value)


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
