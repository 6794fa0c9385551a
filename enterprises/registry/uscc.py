"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters: registration authority (1), organisation type (1), administrative
division code (6 digits), organisation code (9, GB 11714), check character (1).
The check character is computed over the first 17 with the weights below, modulo 31,
over the 31-character alphabet that leaves out I, O, S, V and Z.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {char: index for index, char in enumerate(ALPHABET)}


def check_character(first_17: str) -> str:
    total = sum(_VALUE[char] * weight for char, weight in zip(first_17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(raw: str) -> str:
    """Upper-case and strip spaces (codes are often typed in lower case or with spaces)."""
    return "".join(raw.split()).upper()


def validate_uscc(raw: str) -> None:
    """Raise ValidationError with a message in Chinese saying what is wrong with the code."""
    code = normalise_uscc(raw)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)}, code="uscc_length"
        )
    bad = sorted({char for char in code if char not in _VALUE})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、S、V、Z）。")
            % {"chars": "、".join(bad)},
            code="uscc_charset",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第3至8位应为行政区划代码（6位数字）。"), code="uscc_division"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "统一社会信用代码校验位错误：第18位应为“%(expected)s”，实为“%(actual)s”，请核对是否录入有误。"
            )
            % {"expected": expected, "actual": code[17]},
            code="uscc_check",
        )
