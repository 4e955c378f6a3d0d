"""Field types shared by the API's schemas."""

import datetime
from typing import Annotated

from django.utils import timezone
from pydantic import AfterValidator


def _local(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value)


# A moment in time, answered in ISO 8601 with the portal's offset (Asia/Shanghai, +08:00),
# e.g. "2025-03-01T09:30:00+08:00"; the database keeps UTC.
LocalDateTime = Annotated[datetime.datetime, AfterValidator(_local)]
