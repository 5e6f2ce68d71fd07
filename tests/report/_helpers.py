"""Helpers the report tests share (the fixtures are in conftest.py)."""

SECRET = "secret-token-123"
