"""Counts the matrix tests add up; tests/security/conftest.py prints them at the end."""

from __future__ import annotations

from collections import Counter

CHECKS: Counter = Counter()  # kind of check -> cells checked
LEAKS: list[str] = []
