"""The floors `make bench` judges pages by (portal/bench/targets.py)."""

from portal.bench.targets import CACHED_PUBLIC, KEY, TARGETS, Floor, shortfalls


def test_a_signed_in_page_below_0_7_of_the_stock_wagtail_home_misses():
    assert shortfalls(KEY, rps=60, p95_ms=10, wagtail_rps=100, bare_rps=1000) == [
        "0.60× Wagtail < 0.7"]
    assert shortfalls(KEY, rps=70, p95_ms=10, wagtail_rps=100, bare_rps=1000) == []


def test_cached_public_pages_also_answer_to_the_bare_view():
    assert shortfalls(CACHED_PUBLIC, rps=400, p95_ms=1, wagtail_rps=100, bare_rps=1000) == [
        "0.40× bare < 0.5"]


def test_a_latency_ceiling():
    floor = Floor(p95_ms=100)
    assert shortfalls(floor, rps=200, p95_ms=120, wagtail_rps=100, bare_rps=1000) == [
        "p95 120 ms > 100"]


def test_every_page_has_its_full_floor():
    """No page may have its floor lowered to pass: signed-in pages 0.7× the stock Wagtail
    home, pages visitors get from the public cache half the bare Django view."""
    for label, who, _path, floor in TARGETS:
        if who != "anonymous":
            assert floor.vs_wagtail == 0.7, label
        else:
            assert floor.vs_bare == 0.5, label


def test_each_page_is_judged_against_the_references_around_it():
    """A machine that speeds up during the run: each page against the reference runs just
    before and after it, not the whole run's mean (portal/bench/.../bench.py)."""
    from portal.bench.management.commands.bench import local_reference

    def point(wagtail, sqlite=None):
        p = {"stock Wagtail home": {"rps": wagtail}, "bare Django view": {"rps": 10 * wagtail}}
        if sqlite:
            p["stock Wagtail home, SQLite"] = {"rps": sqlite}
        return p

    brackets = [point(200, 250), point(240), point(300), point(360, 400)]
    assert local_reference(brackets, 0, "stock Wagtail home") == 220
    assert local_reference(brackets, 2, "stock Wagtail home") == 330
    assert local_reference(brackets, 2, "bare Django view") == 3300
    assert local_reference(brackets, 3, "stock Wagtail home") == 360  # nothing after it
    # A page at 230 req/s measured early meets its floor, though below the run's mean.
    assert shortfalls(KEY, rps=230, p95_ms=10, bare_rps=2200,
                      wagtail_rps=local_reference(brackets, 0, "stock Wagtail home")) == []
