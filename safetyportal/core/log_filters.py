"""No personal data in the logs (ADR 0045).

`MaskPersonalData` sits on every handler in settings.LOGGING (and on the Celery worker's
handlers, safetyportal/celery.py). It rewrites each record before it is written: mainland
mobile numbers keep their first three and last four digits (138****8000), resident
identity numbers their first two and last two characters, and the value after a
password / token / secret / key name is replaced. Message, arguments, traceback and stack
are all masked, whatever logger the record came from, so a path with a phone number in its
query string, a database error quoting a row or a library's debug line cannot leak one.

What a pattern cannot recognise (a reporter's name) must never be logged: the public
report views are `sensitive_post_parameters`, and no portal code logs a reporter's fields.
"""

from __future__ import annotations

import logging
import re

# 11-digit mainland mobile numbers, alone or with +86 / separators: 13800138000,
# +86 138 0013 8000, 138-0013-8000; never the middle of a longer number
_MOBILE = re.compile(
    r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9][0-9])[- ]?([0-9]{4})[- ]?([0-9]{4})(?![0-9])"
)
# 18-character resident identity numbers (GB 11643): 17 digits and a digit or X
_IDENTITY = re.compile(r"(?<![0-9A-Za-z])([0-9]{2})[0-9]{14}([0-9][0-9Xx])(?![0-9A-Za-z])")
# password=..., "token": "...", Authorization: Token ..., sessionid=...
_SECRET_VALUE = re.compile(
    r"(?i)\b(password|passwd|pwd|token|secret|api[_-]?key|sessionid|csrftoken|csrfmiddlewaretoken"
    r"|authorization)(['\"]?\s*[:=]\s*['\"]?)(?:(?:token|bearer|basic)\s+)?[^\s'\"&,;}]+"
)


def mask(text: str) -> str:
    """`text` with mobile numbers, identity numbers and secret values masked."""
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _IDENTITY.sub(lambda m: f"{m.group(1)}{'*' * 14}{m.group(2)}", text)
    return _SECRET_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


class MaskPersonalData(logging.Filter):
    """Masks the record in place and lets it through (a filter never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the parts, masked, not the crash
            message = f"{record.msg!r} {record.args!r}"
        record.msg = mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def mask_all_handlers(*loggers: logging.Logger) -> None:
    """Give every handler of these loggers the filter (handlers set up outside LOGGING,
    such as the Celery worker's own)."""
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, MaskPersonalData) for f in handler.filters):
                handler.addFilter(MaskPersonalData())
