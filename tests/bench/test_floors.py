"""The floors `make bench` judges pages by (portal/bench/targets.py)."""

from portal.bench.targets import CACHED_PUBLIC, KEY, REPEAT, TARGETS, Floor, shortfalls


def test_a_key_page_below_the_stock_wagtail_home_misses():
    assert shortfalls(KEY, rps=90, p95_ms=10, wagtail_rps=100, bare_rps=1000) == [
        "0.90× Wagtail < 1.0"]
    assert shortfalls(KEY, rps=100, p95_ms=10, wagtail_rps=100, bare_rps=1000) == []


def test_cached_public_pages_also_answer_to_the_bare_view():
    assert shortfalls(CACHED_PUBLIC, rps=400, p95_ms=1, wagtail_rps=100, bare_rps=1000) == [
        "0.40× bare < 0.5"]


def test_a_latency_ceiling():
    floor = Floor(vs_wagtail=1.0, p95_ms=100)
    assert shortfalls(floor, rps=200, p95_ms=120, wagtail_rps=100, bare_rps=1000) == [
        "p95 120 ms > 100"]


def test_a_repeat_view_is_shown_but_never_judged():
    assert shortfalls(REPEAT, rps=1, p95_ms=10_000, wagtail_rps=100, bare_rps=1000) == []


def test_every_signed_in_key_page_has_the_full_floor():
    """The signed-in pages are judged built afresh (bench.py); none may have its floor
    lowered to pass."""
    for label, who, _path, floor in TARGETS:
        if who != "anonymous":
            assert floor.vs_wagtail == 1.0, label
