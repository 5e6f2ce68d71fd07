"""``python -m syncproof`` is the ``syncproof`` command."""

from .cli import main

main()
