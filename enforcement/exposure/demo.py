"""The exposure board's demo: the county office publishes 88 of this year's closed cases
(the report's figure "全年曝光典型案件 88 起"). The cases come from the cases area's demo
(which closes 120 or more this year); without them, this says so and publishes what
exists. Deterministic: the earliest decisions first (decided_on, id)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from enforcement.cases.models import Case, CaseStatus
from enforcement.exposure.models import ExposedCase
from enforcement.exposure.services import publication_refusal, publish_case
from safetyportal.accounts.models import Role, User

EXPOSED_THIS_YEAR = 88


def load_exposure_demo(stdout) -> None:
    county = User.objects.filter(role=Role.COUNTY_OFFICE, organisation__isnull=False).first()
    if county is None:
        stdout.write("缺少县安委办账号，未加载曝光台演示数据。")
        return
    year_start = datetime.date(timezone.localdate().year, 1, 1)
    published = ExposedCase.objects.public().filter(decided_on__gte=year_start).count()
    wanted = EXPOSED_THIS_YEAR - published
    if wanted <= 0:
        stdout.write(f"曝光台演示数据已存在（本年度已曝光 {published} 起），跳过。")
        return
    candidates = [
        case
        for case in Case.objects.filter(
            status=CaseStatus.CLOSED, decided_on__gte=year_start, exposure__isnull=True
        )
        .exclude(decision_number="")
        .order_by("decided_on", "id")
        if publication_refusal(case) is None
    ][:wanted]
    with transaction.atomic():
        for case in candidates:
            publish_case(actor=county, case_id=case.pk)
    total = published + len(candidates)
    if total < EXPOSED_THIS_YEAR:
        stdout.write(
            f"本年度可公开的已结案案件不足 {EXPOSED_THIS_YEAR} 起（案件演示数据未加载？），"
            f"曝光台公开了现有的 {total} 起。"
        )
    else:
        stdout.write(f"曝光台：本年度曝光典型案件 {total} 起。")
