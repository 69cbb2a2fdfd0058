"""Demo data for `make run`: grows with the apps (each adds its own part here)."""

from collections.abc import Iterator


def load_demo() -> Iterator[str]:
    yield "Demo data is up to date."
