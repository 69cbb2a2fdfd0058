"""The engine is pure Python: it imports, validates and runs with Django unavailable."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys

class NoDjango:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError("django must not be imported by the engine")

sys.meta_path.insert(0, NoDjango())
from entrypoints.taskgraph import validate_document
text = "tasks: {t: {plugin: a.b.t, outputs: {o: string}}}\\ngraph: {s: {t: []}}\\n"
result = validate_document(text)
assert result.valid, result.issues
print("ok")
"""


def test_the_engine_works_without_django():
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"
