import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Artifacts go to a folder of the test's own, not the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
