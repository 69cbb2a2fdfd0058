"""The README's client script, read from README.md (so the test runs what users read)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- The client script: tests/client/test_live_jobs.py runs this block as it stands. -->"


def readme_script() -> str:
    text = README.read_text()
    after = text[text.index(MARKER) + len(MARKER) :]
    return re.search(r"```python\n(.*?)```", after, re.DOTALL)[1]
