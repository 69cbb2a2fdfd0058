"""Artifact tasks that store a job's outputs as text or JSON, and read them back as inputs.

Written as Dioptra's artifact tasks are: classes of ``ArtifactTaskInterface`` whose static
``serialize`` writes the file inside ``working_dir``, ``deserialize`` reads it back and
``validation`` describes ``serialize``'s extra arguments as JSON Schema properties.
"""

import json
from pathlib import Path

from dioptra.sdk.api.artifact import ArtifactTaskInterface


class TextArtifactTask(ArtifactTaskInterface):
    """Any value as a UTF-8 text file ``<name>.txt`` (its ``str()``); read back as a string."""

    @staticmethod
    def serialize(working_dir, name, contents, **kwargs):
        path = Path(working_dir) / f"{name}.txt"
        path.write_text(str(contents), encoding="utf-8")
        return path

    @staticmethod
    def deserialize(working_dir, path, **kwargs):
        return (Path(working_dir) / path).read_text(encoding="utf-8")

    @staticmethod
    def validation():
        return None


class JsonArtifactTask(ArtifactTaskInterface):
    """A JSON value (numbers, lists, mappings) as ``<name>.json``; read back as that value."""

    @staticmethod
    def serialize(working_dir, name, contents, indent=2, **kwargs):
        path = Path(working_dir) / f"{name}.json"
        path.write_text(json.dumps(contents, indent=indent), encoding="utf-8")
        return path

    @staticmethod
    def deserialize(working_dir, path, **kwargs):
        return json.loads((Path(working_dir) / path).read_text(encoding="utf-8"))

    @staticmethod
    def validation():
        return {"indent": {"type": ["integer", "null"]}}
