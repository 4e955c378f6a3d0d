"""The caseload's page of rows: values rows (CaseloadRow), not model instances.

With the filter form empty (how the caseload is opened, and paged), the rows and their
total come from one kept statement per viewer's scope, day, level targets and page
(portal/ops/prepared.py): the page's rows with the total as a window count on each.
With filters chosen, the filterset's own queryset gives the same rows. Either way the
page is a Django Paginator page (tests/people/test_caseload_rows.py holds both to the
rows of the filterset's queryset)."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count, Window

from portal.access import scope_names_viewer, staff_scope, supervisees_in_scope
from portal.ops.prepared import Variants, ahead

FIELDS = ("pk", "legal_name", "is_juvenile", "is_sealed", "level", "status", "term_end",
          "unit__name", "caseworker_id", "caseworker__display_name",
          "caseworker__first_name", "caseworker__last_name", "caseworker__username",
          "study_month", "study_expected", "service_month", "service_expected",
          "open_referrals")
TOTAL = "xy_total"


class CaseloadRow(NamedTuple):
    pk: int
    legal_name: str
    is_juvenile: bool
    is_sealed: bool
    level: str
    status: str
    term_end: datetime.date | None
    unit_name: str
    caseworker_name: str  # "" when nobody is assigned
    study_month: object
    study_expected: object
    service_month: object
    service_expected: object
    open_referrals: int

    @property
    def in_correction(self) -> bool:
        from portal.people.models import Supervisee

        return self.status == Supervisee.Status.IN_CORRECTION


def as_rows(values) -> list[CaseloadRow]:
    """Values rows of FIELDS as CaseloadRows (the caseworker named as User.__str__)."""
    rows = []
    for (pk, name, juvenile, sealed, level, status, term_end, unit, caseworker, display,
         first, last, username, study, study_expected, service, service_expected,
         referrals) in values:
        worker = ""
        if caseworker is not None:
            worker = display or f"{first} {last}".strip() or username
        rows.append(CaseloadRow(pk, name, juvenile, sealed, level, status, term_end, unit,
                                worker, study, study_expected, service, service_expected,
                                referrals))
    return rows


@Variants
def _page_query(scope, today, targets, offset, size):
    from types import SimpleNamespace

    from casework.selectors import with_month_standing, with_open_referrals
    from portal.people.models import Supervisee

    level_targets = {level: SimpleNamespace(study_hours=study, service_hours=service)
                     for level, study, service in targets}

    def rows(viewer_id=None):
        qs = with_open_referrals(with_month_standing(
            supervisees_in_scope(scope, viewer_id), today=today, level_targets=level_targets))
        return (qs.order_by(*Supervisee._meta.ordering)
                .annotate(**{TOTAL: Window(Count("pk"))})
                .values_list(*FIELDS, TOTAL)[offset:offset + size])

    if scope_names_viewer(scope):
        def build(viewer_id: int):
            return rows(viewer_id)
    else:
        def build():
            return rows()
    return build


class _KeptList:
    """The unfiltered caseload for a Paginator: count() and slices answered by the kept
    page statement (the total rides on its rows)."""

    def __init__(self, user, today, level_targets, first_offset: int, size: int):
        from casework.today import _targets_key

        self.scope, self.today = staff_scope(user), today
        self.targets, self.size = _targets_key(level_targets), size
        self.viewer = {"viewer_id": user.pk} if scope_names_viewer(self.scope) else {}
        self.first_offset = first_offset
        self.read: dict[int, tuple[list, int]] = {}

    def call(self, offset: int) -> tuple:
        return (_page_query[self.scope, self.today, self.targets, offset, self.size],
                self.viewer)

    def _rows(self, offset: int) -> tuple[list, int]:
        found = self.read.get(offset)
        if found is None:
            query, values = self.call(offset)
            values_rows = query(**values)
            total = values_rows[0][-1] if values_rows else None
            found = self.read[offset] = ([row[:-1] for row in values_rows], total)
        return found

    def count(self) -> int:
        rows, total = self._rows(self.first_offset)
        if total is None and self.first_offset:
            rows, total = self._rows(0)  # a page past the end: the total from the first
        return total or 0

    def __len__(self):
        return self.count()

    def __getitem__(self, items):
        if not isinstance(items, slice) or items.step is not None:
            raise TypeError("the caseload is read a page at a time")
        start = items.start or 0
        if items.stop is not None and items.stop - start == self.size:
            return as_rows(self._rows(start)[0])
        query_rows = self._rows(start)[0]  # a shorter last page
        return as_rows(query_rows[:None if items.stop is None else items.stop - start])


def caseload_page(user, filterset, number, *, size: int, today=None, level_targets=None):
    """The Paginator page of caseload rows for `number` (any text: Paginator.get_page
    makes the best of it): of the filterset's list when filters were chosen, else (None)
    of everyone the user may see, from the kept statement."""
    from django.utils import timezone

    from casework.selectors import targets

    if filterset is not None:
        paginator = Paginator(filterset.qs.values_list(*FIELDS), size)
        page = paginator.get_page(number)
        page.object_list = as_rows(page.object_list)
        return page
    today = today or timezone.localdate()
    level_targets = targets() if level_targets is None else level_targets
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    kept = _KeptList(user, today, level_targets, (wanted - 1) * size, size)
    with ahead(kept.call(kept.first_offset)):
        page = Paginator(kept, size).get_page(number)
        page.object_list = list(page.object_list)
    return page
