"""Any value as a UTF-8 text file; read back as a string."""

from pathlib import Path


class TextArtifactTask:
    def serialize(self, working_dir, name, contents, **kwargs):
        path = Path(working_dir) / f"{name}.txt"
        path.write_text(str(contents), encoding="utf-8")
        return path

    def deserialize(self, working_dir, path, **kwargs):
        return (Path(working_dir) / path).read_text(encoding="utf-8")
