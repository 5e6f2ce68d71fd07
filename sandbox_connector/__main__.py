"""``python -m sandbox_connector``: read the launch spec (JSON) on stdin, print the status URL, poll.

The launcher starts the process before the emulators (its imports run meanwhile) and writes the
spec once they answer; stdin closed before a spec came means the launch was given up: exit quietly.
"""

from __future__ import annotations

import json
import sys

from .process import load_channels, run


def main() -> None:
    load_channels()
    line = sys.stdin.readline()
    if not line.strip():
        return
    spec = json.loads(line)
    run(spec, announce=lambda url: (print(json.dumps({"url": url}), flush=True)), until_closed=sys.stdin)


if __name__ == "__main__":
    main()
