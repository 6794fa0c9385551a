"""generate_scale at a tiny scale: rows in every ledger, the same data for the same seed,
the models' rules and the workflows' invariants kept."""

from __future__ import annotations

import datetime
import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Q

from enterprises.registry.uscc import validate_uscc
from safetyportal.dashboard import scale as scaledata

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)
LEDGERS = (
    "enterprises.Enterprise",
    "accounts.User",
    "enterprises.EnterpriseUserObjectPermission",
    "enterprises.SafetyStaffing",
    "enterprises.DutyDocument",
    "enterprises.SafetyCost",
    "enterprises.LiabilityInsurance",
    "enterprises.SpecialOperationCertificate",
    "enterprises.EmergencyPlan",
    "enterprises.EmergencyDrill",
    "enterprises.TrainingRecord",
    "enterprises.SelfAssessment",
    "enterprises.AssessmentAnswer",
    "hazards.Hazard",
    "hazards.MajorHazardListing",
    "hazards.AssignmentSlip",
    "hazards.ProgressEntry",
    "hazards.Verification",
    "hazards.DeadlineExtension",
    "hazards.HazardAttachment",
    "hazards.RiskPoint",
    "notifications.Notification",
    "audit.AuditEvent",
    "enforcement.DelegatedItem",
    "enforcement.TownAuthorisation",
    "enforcement.OfficerCertificate",
    "enforcement.Inspection",
    "enforcement.InspectionAnswer",
    "enforcement.Finding",
    "enforcement.Report",
    "enforcement.Reward",
    "responsibilities.DutyList",
    "responsibilities.DutyItem",
    "responsibilities.Interview",
    "responsibilities.CommitteeMeeting",
    "dashboard.Report",  # issue 12: stored reports and the numbered bulletins
)


def model(label):
    return apps.get_model(label)


@pytest.fixture
def reference():
    call_command("load_reference_data", verbosity=0)
    fixture = Path(django_settings.BASE_DIR) / "fixtures" / "self_assessment_template_v1.json"
    call_command("loaddata", str(fixture), verbosity=0)
    Period = model("enterprises.AssessmentPeriod")
    for year in range(TODAY.year - 2, TODAY.year + 1):
        Period.objects.get_or_create(year=year, defaults={"due_on": datetime.date(year, 11, 30)})


def generate(seed=7, **options):
    out = io.StringIO()
    call_command(
        "generate_scale", scale="test", seed=seed, today=TODAY, force=True, stdout=out, **options
    )
    return out.getvalue()


def fingerprint() -> str:
    digest = hashlib.sha256()
    for label in LEDGERS:
        rows = model(label).objects.order_by("pk")
        if label == "audit.AuditEvent":
            # the appraisal's real computation (safetyportal/dashboard/scale_appraisal.py)
            # records its events at the time it runs
            rows = rows.exclude(verb__startswith="appraisal_")
        for row in rows.values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_every_ledger_gets_rows_in_proportion(reference):
    output = generate()
    assert "hazards" in output and "total" in output

    Enterprise = model("enterprises.Enterprise")
    Hazard = model("hazards.Hazard")
    assert Enterprise.objects.count() == 60
    assert Hazard.objects.count() == 600
    for label in LEDGERS:
        assert model(label).objects.exists(), label
    User = model("accounts.User")
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"county_office", "leader", "department", "town", "enterprise", "expert"}
    # most hazards are closed, a few open; a few per cent are major
    closed = Hazard.objects.filter(status="closed").count()
    assert 400 < closed < 600
    assert Hazard.objects.filter(status__in=["reported", "rectifying", "submitted"]).exists()
    assert 0 < Hazard.objects.filter(hazard_class="major").count() < 60
    # every enterprise has a risk point and a staffing record
    assert model("hazards.RiskPoint").objects.values("enterprise").distinct().count() == 60
    assert model("enterprises.SafetyStaffing").objects.count() == 60
    # and its compliance results, judged on the generator's day
    statuses = model("enterprises.ComplianceStatus").objects
    assert statuses.count() == 60 * 8
    assert set(statuses.values_list("checked_on", flat=True)) == {TODAY}
    # the appraisal round of the year, every unit's result computed by the real computation
    # (its rows are made through the services, so their ids are not in the fingerprint)
    results = model("responsibilities.AppraisalResult").objects.filter(round__year=TODAY.year)
    assert (
        results.count()
        == model("responsibilities.Organisation")
        .objects.filter(kind__in=("town", "subdistrict", "department", "committee"), is_active=True)
        .count()
    )
    assert set(results.values_list("status", flat=True)) == {"draft"}
    assert model("responsibilities.IndicatorScore").objects.filter(result__in=results).exists()
    assert "appraisal:" in output and "results computed" in output


def test_overrides_and_refusals(reference, settings):
    generate(enterprises=20, hazards=50)
    assert model("enterprises.Enterprise").objects.count() == 20
    assert model("hazards.Hazard").objects.count() == 50
    # a second run on the same database refuses (the synthetic USCCs are taken)
    with pytest.raises(CommandError, match="fresh database"):
        generate()
    settings.DEBUG = False
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_scale", scale="test", verbosity=0)


def test_same_seed_gives_the_same_data(reference):
    class Undo(Exception):
        pass

    prints = []
    for seed in (7, 7, 8):
        with pytest.raises(Undo), transaction.atomic():
            generate(seed=seed)
            prints.append(fingerprint())
            raise Undo
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_rows_keep_the_models_rules_and_the_workflow(reference):
    generate()
    # every model's own validation on a sample of its rows
    for label in LEDGERS:
        for obj in model(label).objects.order_by("pk")[:30]:
            obj.full_clean(validate_unique=False)
    Enterprise = model("enterprises.Enterprise")
    for uscc in Enterprise.objects.values_list("uscc", flat=True):
        validate_uscc(uscc)
    assert Enterprise.objects.values("uscc").distinct().count() == 60

    Hazard = model("hazards.Hazard")
    hazards = Hazard.objects.all()
    assert not hazards.filter(deadline__lt=F("found_on")).exists()
    assert not hazards.filter(found_on__gt=TODAY).exists()
    closed = hazards.filter(status="closed")
    assert not closed.filter(Q(closed_on__isnull=True) | Q(closed_on__lt=F("found_on"))).exists()
    assert not hazards.exclude(status="closed").filter(closed_on__isnull=False).exists()
    assert not closed.filter(closed_on__gt=TODAY).exists()
    # a closed hazard was verified on its closing day by someone other than the submitter
    Verification = model("hazards.Verification")
    passed = Verification.objects.filter(passed=True)
    assert passed.count() == closed.count()
    assert not passed.exclude(verified_on=F("hazard__closed_on")).exists()
    assert not passed.filter(verified_by=F("submitted_by")).exists()
    assert not Verification.objects.filter(hazard__status__in=["reported", "voided"]).exists()
    # a failed verification comes before the passing one
    for failed in Verification.objects.filter(passed=False).select_related("hazard"):
        assert failed.verified_on < failed.hazard.closed_on
    # submitted and closed hazards name their submitter; open ones are not closed
    assert not hazards.filter(
        status__in=["submitted", "closed"], submitted_by__isnull=True
    ).exists()
    # progress entries lie between finding and closing
    ProgressEntry = model("hazards.ProgressEntry")
    assert not ProgressEntry.objects.filter(entry_date__lt=F("hazard__found_on")).exists()
    assert not ProgressEntry.objects.filter(entry_date__gt=F("hazard__closed_on")).exists()
    assert not ProgressEntry.objects.filter(hazard__status__in=["reported", "voided"]).exists()
    # major hazards: listed, and assigned before rectification; general ones neither
    majors = hazards.filter(hazard_class="major")
    assert not majors.filter(listing__isnull=True).exists()
    assert not hazards.filter(hazard_class="general", listing__isnull=False).exists()
    assert not majors.filter(
        status__in=["rectifying", "submitted", "closed"], slip__isnull=True
    ).exists()
    assert not majors.filter(status="determined", slip__isnull=False).exists()
    # extensions: at most one pending (a constraint), asked before the deadline they moved
    Extension = model("hazards.DeadlineExtension")
    assert not Extension.objects.filter(requested_at__date__gt=F("old_deadline")).exists()
    for extension in Extension.objects.filter(status="approved").select_related("hazard"):
        assert extension.hazard.deadline == extension.requested_deadline
    assert not (
        Extension.objects.filter(status="pending")
        .values("hazard")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    # every hazard's history starts with its report
    AuditEvent = model("audit.AuditEvent")
    reported = AuditEvent.objects.filter(verb="hazard.reported")
    assert reported.count() == Hazard.objects.count()
    # risk scores are L x E x C; an assessment has one answer per template item
    for point in model("hazards.RiskPoint").objects.all()[:50]:
        assert point.score == (point.likelihood * point.exposure * point.consequence).quantize(
            Decimal("0.01")
        )
    items = model("enterprises.TemplateItem").objects.filter(template__is_active=True).count()
    counts = set(
        model("enterprises.SelfAssessment")
        .objects.annotate(n=Count("answers"))
        .values_list("n", flat=True)
    )
    assert counts == {items}
    # new rows after the generated ones get fresh ids (the sequences were moved on)
    enterprise = Enterprise.objects.order_by("pk").first()
    enterprise.pk = None
    enterprise.uscc = "91430723MA4L00000X"
    enterprise.save()
    assert enterprise.pk > Enterprise.objects.exclude(pk=enterprise.pk).order_by("-pk").first().pk


def test_uscc_check_characters_match_the_registry_rules():
    for index in (0, 1, 9_999_999, 1234567):
        validate_uscc(scaledata.scale_uscc(index))
