"""Telephone numbers of the registry: a mainland mobile number or a landline with its area
code, so that a supervisor can actually call the number typed."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# 1[3-9] and nine more digits; or 0 + a 2-3 digit area code, then 7-8 digits, with an
# optional hyphen and an optional extension ("0736-3221234-801")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")


def normalise_phone(value: str) -> str:
    """`value` without the spaces people type or paste ("138 0000 0000")."""
    return re.sub(r"\s+", "", value or "")


def validate_phone(value: str) -> None:
    """Raise ValidationError unless `value` (normalised) is a mobile or landline number."""
    if not (_MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value)):
        raise ValidationError(
            _(
                "电话号码“%(value)s”无效：请填写11位手机号码，或带区号的固定电话"
                "（如 0736-3221234）。"
            )
            % {"value": value},
            code="invalid_phone",
        )
