"""What plugin code may import from this project while a job runs: `log_metric`.

```python
from entrypoints.runtime import log_metric

log_metric("accuracy", 0.93)            # one value
log_metric("loss", loss, step=epoch)    # a series: one value per step
```

Inside a job the metric is recorded on the job (its page plots each series); anywhere else (a
notebook, a plugin's own tests) the call only checks its arguments and logs the value at DEBUG,
so plugin code runs unchanged outside a job. Pure Python: no Django, nothing else to import.
"""

from __future__ import annotations

import logging
import numbers
import re
from collections.abc import Callable

# Dioptra's rule for metric names (restapi/v1/jobs/schema.py), so every name it accepts works here.
METRIC_NAME = re.compile(r"^([A-Z]|[A-Z_][A-Z0-9_]+)$", flags=re.IGNORECASE)
BAD_NAME = (
    "{name!r} is not a metric name: start with a letter or underscore, then letters, digits or "
    "underscores ('_' alone is not a name)."
)
BAD_VALUE = "The value of metric {name!r} must be a number, not {type}."
BAD_STEP = "The step of metric {name!r} must be a whole number of at least 0, not {step!r}."

_logger = logging.getLogger(__name__)

# Set by the job's child process to send each metric to the worker; None outside a job.
_sink: Callable[[str, float, int | None], None] | None = None


def set_metric_sink(sink: Callable[[str, float, int | None], None] | None) -> None:
    """Route `log_metric` calls to `sink` (the executor does this; plugin code never needs to)."""
    global _sink
    _sink = sink


def log_metric(name: str, value: float, step: int | None = None) -> None:
    """Record metric `name` = `value` (NaN and infinities allowed), optionally at `step` (>= 0).

    Raises ValueError / TypeError for a bad name, value or step, inside a job or not.
    """
    if not isinstance(name, str) or not METRIC_NAME.match(name):
        raise ValueError(BAD_NAME.format(name=name))
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(BAD_VALUE.format(name=name, type=type(value).__name__))
    if step is not None:
        if isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
            raise ValueError(BAD_STEP.format(name=name, step=step))
        step = int(step)
    value = float(value)
    if _sink is None:
        _logger.debug("metric %s = %s%s", name, value, "" if step is None else f" (step {step})")
        return
    _sink(name, value, step)


__all__ = ["log_metric"]
