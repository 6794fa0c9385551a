"""Text as people type it, without the characters nobody types on purpose.

Control characters (a vertical tab pasted from a PDF, a NUL from a broken client) are
invisible on screen, refused by Excel files (openpyxl raises IllegalCharacterError) and by
PostgreSQL (NUL). They are stripped once, at input, for every text value of every form and
API request (CleanInputMiddleware and the API's parsers); tab, line feed and carriage
return stay. Exports strip them again for what was stored before (safetyportal/core/excel.py).
"""

from __future__ import annotations

import re

from django.http import QueryDict

# C0 controls but \t \n \r, DEL, C1 controls, lone surrogates, and the two non-characters
# U+FFFE/U+FFFF (none of them is valid in an XML document, hence in an .xlsx)
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


def clean_query_dict(data: QueryDict) -> QueryDict:
    """A copy of `data` (request.GET/POST) with every key and value stripped."""
    if not any(
        CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in values)
        for key, values in data.lists()
    ):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(
            strip_control_characters(key), [strip_control_characters(v) for v in values]
        )
    cleaned._mutable = False
    return cleaned


def clean_parsed_json(value):
    """`value` (parsed JSON, depth already bounded) with every string stripped."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list):
        return [clean_parsed_json(item) for item in value]
    if isinstance(value, dict):
        return {strip_control_characters(k): clean_parsed_json(v) for k, v in value.items()}
    return value


def json_depth(value) -> int:
    """How deeply `value` (parsed JSON) nests lists and objects; iterative, so any depth
    is measured without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
    return deepest


# the largest id a database column holds (SQLite raises OverflowError on a larger one:
# a 500 for "?enterprise=99999999999999999999" on the demo)
MAX_INTEGER = 2**63 - 1
_INTEGER = re.compile(r"[+-]?\d{19,}")


def is_oversized_integer(value) -> bool:
    """True for an int, or text spelling one, outside the 64-bit range of an id column."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > MAX_INTEGER
    return (
        isinstance(value, str)
        and _INTEGER.fullmatch(value.strip()) is not None
        and abs(int(value)) > MAX_INTEGER
    )


def has_oversized_integer(data: QueryDict) -> bool:
    return any(is_oversized_integer(v) for _, values in data.lists() for v in values)


def json_has_oversized_integer(value) -> bool:
    """Iterative walk of parsed JSON (depth already bounded or not: no recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif is_oversized_integer(item) and not isinstance(item, str):
            return True
    return False
