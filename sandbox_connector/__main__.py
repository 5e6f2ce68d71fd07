"""``python -m sandbox_connector``: read the launch spec (JSON) on stdin, print the status URL, poll."""

from __future__ import annotations

import json
import sys

from .process import run


def main() -> None:
    spec = json.loads(sys.stdin.readline())
    run(spec, announce=lambda url: (print(json.dumps({"url": url}), flush=True)), until_closed=sys.stdin)


if __name__ == "__main__":
    main()
