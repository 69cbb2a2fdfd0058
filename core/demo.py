"""Demo data for `make run`: each app contributes its part, in dependency order (idempotent)."""

from collections.abc import Iterator


def load_demo() -> Iterator[str]:
    from access.demo import load_access_demo
    from entrypoints.demo import load_entrypoints_demo
    from jobs.demo import load_experiment_demo, load_jobs_demo
    from plugins_app.demo import load_plugins_demo

    yield from load_access_demo()
    yield from load_jobs_demo()
    yield from load_plugins_demo()
    yield from load_entrypoints_demo()
    yield from load_experiment_demo()
