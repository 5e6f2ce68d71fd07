"""The one compiled module: the settlement tally's per-row loop (everything else is in pyproject.toml).

It is optional: where it cannot be built (no C compiler, no Python headers) the install goes on
and the tally runs the same loop in Python (syncproof/engine/settlement_tally.py).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("syncproof.engine._tally_kernel", ["syncproof/engine/_tally_kernel.c"],
                             optional=True)])
