"""The enforcement app's panels on pages of the apps below it (see
safetyportal/core/panels.py): the enterprise file shows the penalties of the last year and
the repeat-offender flag (enforcement/repeat_offenders.py) to the officials who decide."""

from __future__ import annotations

from enforcement.repeat_offenders import penalty_record
from enterprises.panels import ENTERPRISE_FILE
from safetyportal.core.panels import Panel, register


def enterprise_penalties(user, enterprise) -> dict | None:
    flag = penalty_record(user, enterprise.pk)
    return None if flag is None else {"flag": flag}


register(
    Panel(
        key="enforcement.enterprise_penalties",
        page=ENTERPRISE_FILE,
        order=20,
        template="enforcement/panels/enterprise_penalties.html",
        context=enterprise_penalties,
    )
)
