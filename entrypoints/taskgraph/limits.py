"""Safety caps (settings with these defaults): over a cap is a clear issue, never a hang."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """`max_bytes` counts UTF-8 bytes per text; `max_depth` counts nested collections."""

    max_bytes: int = 256 * 1024
    max_steps: int = 1000
    max_depth: int = 32


DEFAULT_LIMITS = Limits()
