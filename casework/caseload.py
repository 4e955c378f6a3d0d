"""The caseload's page of people. Opened without filters (or only paged), the rows and
the total are one statement, the total riding on each row as a window count; with
filters, Django's Paginator counts and reads as usual."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Window

TOTAL = "xy_total"


class _CountedRows:
    """A queryset as Paginator reads it, its count taken from the window total on the
    rows of the page asked for (or of the first page, past the end)."""

    def __init__(self, qs, first_offset: int, size: int):
        self.qs = qs.annotate(**{TOTAL: Window(Count("pk"))})
        self.first_offset, self.size = first_offset, size
        self.read: dict[int, list] = {}

    def _rows(self, offset: int) -> list:
        if offset not in self.read:
            self.read[offset] = list(self.qs[offset:offset + self.size])
        return self.read[offset]

    def count(self) -> int:
        rows = self._rows(self.first_offset)
        if not rows and self.first_offset:
            rows = self._rows(0)
        return getattr(rows[0], TOTAL) if rows else 0

    def __len__(self):
        return self.count()

    def __getitem__(self, items):
        if not isinstance(items, slice) or items.step is not None:
            raise TypeError("the caseload is read a page at a time")
        start = items.start or 0
        rows = self._rows(start)
        return rows if items.stop is None else rows[:items.stop - start]


def caseload_page(filterset, number, *, size: int):
    """The Paginator page `number` (any text: get_page makes the best of it) of the
    filterset's people."""
    if filterset.is_bound:
        return Paginator(filterset.qs, size).get_page(number)
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    page = Paginator(_CountedRows(filterset.qs, (wanted - 1) * size, size), size).get_page(
        number)
    page.object_list = list(page.object_list)
    return page
