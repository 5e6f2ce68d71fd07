"""How many shared files name a channel: what adding a channel like it would have to edit.

For every registered channel, the Python code of ``syncproof/``, ``steps/``,
``connectors/`` and ``sandbox/`` is tokenised and each file whose code (not its
comments or docstrings) names the channel, as an identifier or a string, is listed,
leaving out the channel's own files: its spec module (``syncproof/channels/<name>.py``, and
any ``syncproof/channels/_<name>_*.py`` it is split into),
its connector modules (``connectors/<name>*.py``, ``connectors/_<name>_*.py``) and
its emulator package (``sandbox/<emulator>/``). What is left is what a new channel
would have to edit in the shared code; the goal is the registry line alone.

    .venv/bin/python benchmarks/channel_footprint.py
"""

from __future__ import annotations

import io
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from syncproof import channels  # noqa: E402

AREAS = ("syncproof", "steps", "connectors", "sandbox")


def own_files(spec: channels.ChannelSpec, path: Path) -> bool:
    rel = path.relative_to(ROOT).as_posix()
    own = (f"connectors/{spec.name}", f"connectors/_{spec.name}_", f"sandbox/{spec.emulator_name}/")
    own_spec = (f"syncproof/channels/{spec.name}.py", f"syncproof/channels/_{spec.name}_")  # a spec and its parts
    return rel.startswith((*own, *own_spec))


def names_in_code(path: Path) -> set[str]:
    """Identifiers and whole string literals in ``path``'s code (docstrings and comments left out)."""
    found: set[str] = set()
    previous = tokenize.NEWLINE
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.NAME:
            found.add(token.string)
        elif token.type == tokenize.STRING and previous not in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT,
                                                                tokenize.DEDENT):
            text = token.string.lstrip("rbuf").strip("\"'")
            found.update(text.replace("{", ".").replace("}", ".").split("."))
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token.type
    return found


def footprint(spec: channels.ChannelSpec) -> list[str]:
    files = []
    for area in AREAS:
        for path in sorted((ROOT / area).rglob("*.py")):
            if own_files(spec, path):
                continue
            if spec.name in names_in_code(path):
                files.append(path.relative_to(ROOT).as_posix())
    return files


def main() -> None:
    for spec in channels.specs():
        files = footprint(spec)
        print(f"{spec.name}: {len(files)} shared file(s) name it outside its own modules")
        for rel in files:
            print(f"  {rel}")


if __name__ == "__main__":
    main()
