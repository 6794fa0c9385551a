"""Audit verbs of this area (collected by enforcement/verbs.py)."""

VERBS: dict = {}
