"""Any value as a UTF-8 text file; read back as a string (Dioptra's artifact task interface)."""

from pathlib import Path

from dioptra.sdk.api.artifact import ArtifactTaskInterface


class TextArtifactTask(ArtifactTaskInterface):
    @staticmethod
    def serialize(working_dir, name, contents, **kwargs):
        path = Path(working_dir) / f"{name}.txt"
        path.write_text(str(contents), encoding="utf-8")
        return path

    @staticmethod
    def deserialize(working_dir, path, **kwargs):
        return (Path(working_dir) / path).read_text(encoding="utf-8")
