"""Template filters of the enforcement pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(amount) -> str:
    """An amount in yuan as the law's documents write it: 50,000 / 0.5 / 1,234.56."""
    if amount is None or amount == "":
        return ""
    return f"{Decimal(amount):,.2f}".rstrip("0").rstrip(".")
