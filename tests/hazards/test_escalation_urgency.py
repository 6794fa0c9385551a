"""An overdue major hazard's escalation is urgent (e-mailed at once); a general hazard's
and a reminder before the deadline are not: they wait for the daily digest."""

from __future__ import annotations

from hazards import escalation
from hazards.models import Hazard
from safetyportal.notifications.models import Notification
from tests.hazards.conftest import days


def test_an_overdue_major_hazard_is_urgent_and_a_general_one_is_not(
    major, report, county, town_official, enterprise_manager
):
    general = report(enterprise=county.xdk_chem)
    Hazard.objects.filter(pk__in=[major.pk, general.pk]).update(deadline=days(-2))
    Notification.objects.all().delete()
    escalation.run_escalation(days(0))  # the reminder level (to the enterprise)
    escalation.run_escalation(days(0))  # one level a run: the town's
    rows = Notification.objects.filter(recipient=town_official, kind="hazard")
    urgent = {n.dedupe_key.split(":")[1]: n.urgent for n in rows}
    assert urgent == {str(major.pk): True, str(general.pk): False}


def test_a_reminder_before_the_deadline_is_not_urgent(major, enterprise_manager):
    Hazard.objects.filter(pk=major.pk).update(deadline=days(2))
    Notification.objects.all().delete()
    escalation.run_escalation(days(0))
    [notice] = Notification.objects.filter(recipient=enterprise_manager)
    assert notice.kind == "hazard" and not notice.urgent
