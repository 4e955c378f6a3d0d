"""The caseload's pages (casework/caseload.py: the total as a window count on the rows)
are the filterset queryset's rows, page by page, for every kind of viewer."""

import pytest

from casework.caseload import caseload_page
from casework.filters import caseload_filterset
from tests import factories as f


@pytest.mark.parametrize("who", ["caseworker", "other_caseworker", "unit_admin", "superuser"])
def test_pages_are_the_filtersets_rows_for_every_viewer_and_page(world, who):
    for n in range(7):
        f.SuperviseeFactory(unit=world.squad1, caseworker=world.users["caseworker"],
                            legal_name=f"甲{n}", is_juvenile=n == 3, is_sealed=n == 4)
    user = world.users[who]
    expected = list(caseload_filterset(user, {}).qs.values_list("pk", flat=True))
    assert expected
    size = 3
    pages = -(-len(expected) // size)
    for number, shown in [("1", 1), ("2", 2), (str(pages), pages), ("99", pages),
                          ("abc", 1), ("", 1), (None, 1), ("0", pages), ("-3", pages)]:
        shown = min(shown, pages)
        for filterset in (caseload_filterset(user, None),
                          caseload_filterset(user, {"page": number})):
            page = caseload_page(filterset, number, size=size)
            assert page.number == shown, (number, filterset)
            assert page.paginator.count == len(expected)
            assert [p.pk for p in page.object_list] == expected[(shown - 1) * size:
                                                                shown * size], number
    filtered = caseload_page(caseload_filterset(user, {"q": "甲"}), "1", size=size)
    names = [row.legal_name for row in filtered.object_list]
    assert all(name.startswith("甲") for name in names)
    assert bool(names) == (who != "other_caseworker")  # squad 1's people
