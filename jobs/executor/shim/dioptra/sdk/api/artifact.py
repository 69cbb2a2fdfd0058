"""`ArtifactTaskInterface`, with the shape of Dioptra's (a metaclass with static methods), so
artifact plugin classes subclass it unchanged and are called as `Task.serialize(...)`."""

import abc
from pathlib import Path
from typing import Any


class ArtifactTaskInterface(abc.ABCMeta):
    """Serialize a job's output to a file or directory, and read it back as a job's input."""

    @staticmethod
    @abc.abstractmethod
    def serialize(working_dir: Path, name: str, contents: Any, **kwargs) -> Path:
        """Write `contents` inside `working_dir` (named after `name`); return the path."""
        raise NotImplementedError

    @staticmethod
    @abc.abstractmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> Any:
        """Read back what `serialize` wrote at `Path(working_dir, path)`."""
        raise NotImplementedError

    @staticmethod
    @abc.abstractmethod
    def validation() -> dict[str, Any] | None:
        """JSON Schema properties of `serialize`'s extra keyword arguments, or None."""
        raise NotImplementedError
