import pytest

pytestmark = pytest.mark.django_db


def test_world_builds(world):
    assert len(world.enterprises) == 4
