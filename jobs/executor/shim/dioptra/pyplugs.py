"""`@pyplugs.register` and `@pyplugs.register(sort_value=...)`, as plugin files write them.

The executor finds task functions by the module and name their plugin declares, so registering
only has to leave the function as it is.
"""

from collections.abc import Callable
from typing import Any


def register(_func: Callable[..., Any] | None = None, *, sort_value: float = 0):
    """Mark a function as a plugin task; usable bare or called."""
    if _func is None:
        return lambda func: func
    return _func
