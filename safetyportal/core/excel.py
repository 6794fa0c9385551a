"""Writing cells that people will open in Excel or WPS."""

from __future__ import annotations

from safetyportal.core.text import strip_control_characters

# A text cell starting with one of these is taken as a formula by spreadsheet programs
# (CSV/formula injection: "=HYPERLINK(...)" in a hazard description would become a
# live link in the county office's export).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` unchanged, except text: its control characters are dropped (an .xlsx cannot
    hold them: openpyxl raises IllegalCharacterError, and text stored before input was
    cleaned may have them), and text that would start a formula gets a leading apostrophe
    so it is shown as typed."""
    if not isinstance(value, str):
        return value
    value = strip_control_characters(value)
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
