import pytest

from tests import factories as f


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ngo_service(world):
    return f.help_service_create(world.ngo, name="家庭关系辅导", type="family")


@pytest.fixture
def counselling_service(world):
    return f.help_service_create(world.counselling)
