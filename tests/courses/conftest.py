import pytest

from tests.courses import factories as cf


@pytest.fixture
def course(world):
    """A bureau course with two lessons, the second with a two-question quiz."""
    return cf.course_create(title="民法典与生活", unit=world.bureau, lessons=2,
                            quiz_on_last=True, study_hours="3.0")


@pytest.fixture
def person(world):
    return world.supervisee


@pytest.fixture(autouse=True)
def empty_cache():
    """The catalogue caches what everyone sees alike; no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
