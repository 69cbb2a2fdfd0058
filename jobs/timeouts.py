"""Job timeouts as Dioptra (and RQ) write them: "90", "30s", "15m", "24h", "2d"."""

import re

from django.conf import settings

UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_TIMEOUT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", re.IGNORECASE)
BAD_TIMEOUT = (
    "{text!r} is not a timeout; give a number of seconds or a number with s, m, h or d "
    "(such as 30m or 24h)."
)
TIMEOUT_RANGE = "A timeout must be more than 0 seconds and at most {limit}."


def timeout_seconds(text: str) -> float:
    """Seconds of a timeout text (``ValueError`` with a message saying what is wrong)."""
    match = _TIMEOUT.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(BAD_TIMEOUT.format(text=text))
    seconds = float(match[1]) * UNITS[match[2].lower()]
    if not 0 < seconds <= settings.JOB_MAX_TIMEOUT_SECONDS:
        limit = f"{settings.JOB_MAX_TIMEOUT_SECONDS:g} seconds"
        raise ValueError(TIMEOUT_RANGE.format(limit=limit))
    return seconds
