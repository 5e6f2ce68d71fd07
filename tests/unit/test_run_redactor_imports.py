"""The run's redactor is built, and shows a gzipped report document, without importing the recording machinery.

A sandbox run (and `syncproof doctor`) builds it in every process: importing syncproof.recording for it cost
46 ms in a process that had already loaded the steps, and some 300 ms, Faker's import included, in one that had
not (measured in this tree, -X importtime).
"""

from __future__ import annotations

import gzip
import subprocess
import sys

DOCUMENT = gzip.compress(b"settlement-id\tdeposit-date\n")
SHOW_A_GZIPPED_DOCUMENT = """
import sys
from syncproof.runtime import redactor_for
shown = redactor_for().body(%r, "application/octet-stream")
assert shown.endswith("shown gunzipped]\\nsettlement-id\\tdeposit-date\\n"), shown
print(sorted(name for name in ("syncproof.recording", "faker", "yaml") if name in sys.modules))
""" % DOCUMENT


def test_the_run_redactor_needs_neither_the_recording_package_nor_faker():
    done = subprocess.run([sys.executable, "-c", SHOW_A_GZIPPED_DOCUMENT], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
