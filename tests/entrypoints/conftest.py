import pytest

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The matrices create six users per test; the default hasher makes that take seconds."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
