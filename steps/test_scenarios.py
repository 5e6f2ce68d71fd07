"""Binds every feature under features/ to the step definitions (registered in conftest.py)."""

from pytest_bdd import scenarios

scenarios("../features")
