"""A write that fails part-way leaves nothing behind: no rows, no moved state, no used
number (docs/decisions/0046). Each multi-write service is made to fail at its last write
(the audit event) and the data is compared with what it was before."""

from __future__ import annotations

import pytest

from hazards import services as hazard_services
from hazards.models import Bulletin, Hazard, HazardAttachment, HazardSource, HazardStatus
from safetyportal.audit.models import AuditEvent
from tests.factories import evidence_photo


class Boom(Exception):
    pass


def fail(*args, **kwargs):
    raise Boom("the last write fails")


def _hazard(county, town_official):
    import datetime

    from django.utils import timezone

    return hazard_services.report_hazard(
        actor=town_official,
        enterprise=county.xdk_build,
        source=HazardSource.INSPECTION,
        description="脚手架连墙件缺失",
        location="3号楼",
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        responsible_person="周经理",
    )


def test_a_hazard_report_that_fails_at_the_audit_leaves_no_hazard(
    county, town_official, monkeypatch
):
    before = _hazard(county, town_official)
    monkeypatch.setattr(hazard_services, "record_event", fail)
    with pytest.raises(Boom):
        _hazard(county, town_official)
    assert list(Hazard.objects.values_list("pk", flat=True)) == [before.pk]


def test_a_submission_with_files_that_fails_leaves_no_attachment_and_no_new_state(
    county, town_official, enterprise_manager, monkeypatch
):
    hazard = _hazard(county, town_official)
    hazard_services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    events = AuditEvent.objects.count()
    monkeypatch.setattr(hazard_services, "record_event", fail)
    with pytest.raises(Boom):
        hazard_services.submit_rectification(
            actor=enterprise_manager,
            hazard_id=hazard.pk,
            note="已整改",
            files=[evidence_photo(), evidence_photo()],
        )
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING
    assert hazard.rectification_note == ""
    assert not HazardAttachment.objects.filter(hazard=hazard).exists()
    assert AuditEvent.objects.count() == events


def test_a_bulletin_that_fails_uses_no_number(county_officer, monkeypatch):
    monkeypatch.setattr(hazard_services, "record_event", fail)
    with pytest.raises(Boom):
        hazard_services.generate_bulletin(actor=county_officer)
    assert not Bulletin.objects.exists()
    monkeypatch.undo()
    assert hazard_services.generate_bulletin(actor=county_officer).number == 1


def test_a_voided_duty_record_that_fails_stays_in_force(county, enterprise_manager, monkeypatch):
    from enterprises.duties import services as duty_services
    from enterprises.models import SpecialOperationCertificate
    from tests.enterprises.factories_duties import CertificateFactory

    cert = CertificateFactory(enterprise=county.xdk_build)
    monkeypatch.setattr(duty_services, "record_event", fail)
    with pytest.raises(Boom):
        duty_services.void_duty_record(
            actor=enterprise_manager,
            enterprise=county.xdk_build,
            kind="certificates",
            record_id=cert.pk,
            reason="录入错误",
        )
    kept = SpecialOperationCertificate.objects.get(pk=cert.pk)
    assert (kept.voided_at, kept.void_reason) == (None, "")
