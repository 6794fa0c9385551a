"""Scale data for the responsibilities ledgers (registered as generator "responsibilities"):
duty lists with items for every unit (departments, 镇街, 专委会) for the last three years
(the two past years mostly done, this year's partly, each item tied to an industry the
department leads where it leads any), 约谈 records (half from the hazard escalation,
linked to a major hazard, most held and closed), and the 专委会's meetings (a 会商研判 a
quarter and a few more, with their member units attending).

The organisation tree is reference data and does not grow with the scale: the number of
items per list does (about 24 at county size, 76 at city size), and so do the 约谈.
"""

from __future__ import annotations

import datetime

from django.apps import apps

from safetyportal.dashboard.scale import aware, content_type_id

ITEM_TEXTS = (
    ("按照“三管三必须”履行本行业领域安全生产监管职责", "《安全生产法》第三条", "全年"),
    ("制定年度监督检查计划并组织实施", "《安全生产法》第六十二条", "每年"),
    ("开展专项整治，建立问题隐患和制度措施清单", "《安全生产法》第九条", "每季度"),
    ("组织重大事故隐患排查，督促挂牌督办隐患整改", "《湖南省安全生产条例》", "每月"),
    ("组织辖区生产经营单位安全生产检查，建立隐患排查治理台账", "《安全生产法》第九条", "每月"),
    ("开展“安全生产月”宣传教育活动", "《安全生产法》第十三条", "每年"),
    ("组织从业人员安全培训和应急演练", "《安全生产法》第二十八条", "每半年"),
    (
        "参加县安委会全体会议，按季度报送工作情况",
        "《地方党政领导干部安全生产责任制规定》",
        "每季度",
    ),
)
TOPICS = ("一季度安全形势会商研判", "汛期安全风险会商研判", "节前安全生产专题会议", "年度工作例会")


def responsibilities(ctx) -> None:
    """Registered by the generate_scale command after the ledgers it links to."""
    rng = ctx.rng("responsibilities")
    today = ctx.today
    years = (today.year - 2, today.year - 1, today.year)
    Organisation = apps.get_model("responsibilities", "Organisation")
    units = list(
        Organisation.objects.filter(
            kind__in=["department", "town", "subdistrict", "committee"], is_active=True
        )
        .order_by("kind", "code")
        .values_list("pk", "kind")
    )
    county_users = ctx.data["users"].get("county_office", [])
    creator = county_users[0]
    Assignment = apps.get_model("responsibilities", "SupervisionAssignment")
    SupervisionMap = apps.get_model("responsibilities", "SupervisionMap")
    current = SupervisionMap.objects.order_by("-year").first()
    led: dict[int, list[int]] = {}
    if current is not None:
        for industry, department in Assignment.objects.filter(
            supervision_map=current, is_lead=True
        ).values_list("industry_id", "department_id"):
            led.setdefault(department, []).append(industry)

    # --- duty lists and their items ------------------------------------------------------
    DutyList = apps.get_model("responsibilities", "DutyList")
    have = set(DutyList.objects.values_list("year", "owner_id"))
    lists = [(year, pk, kind) for year in years for pk, kind in units if (year, pk) not in have]
    first_list = ctx.reserve("responsibilities.DutyList", len(lists))
    ctx.copy(
        "responsibilities.DutyList",
        ["id", "year", "owner", "owner_person", "created_by", "created_at"],
        [
            (first_list + i, year, pk, "", creator, aware(datetime.date(year, 1, 4)))
            for i, (year, pk, _kind) in enumerate(lists)
        ],
    )
    per_list = max(8, round(24 * ctx.factor**0.5))
    items = []
    for i, (year, owner, _kind) in enumerate(lists):
        share = 0.95 if year < today.year else min(0.9, (today.timetuple().tm_yday / 366) * 0.8)
        industries = led.get(owner, [])
        for n in range(per_list):
            content, basis, frequency = ITEM_TEXTS[(n + i) % len(ITEM_TEXTS)]
            month = 1 + (n * 5 + i) % 12
            deadline = datetime.date(year, month, 28)
            done = rng.random() < share and deadline <= max(today, datetime.date(year, 12, 31))
            done_on = min(deadline, today) if done else None
            items.append(
                (first_list + i, n + 1, f"{content}（{n + 1}）", basis, frequency, deadline,
                 "done" if done else "pending", done_on, "已完成，见佐证材料" if done else "",
                 industries[n % len(industries)] if industries and n % 3 == 0 else None)
            )  # fmt: skip
    first_item = ctx.reserve("responsibilities.DutyItem", len(items))
    ctx.copy(
        "responsibilities.DutyItem",
        ["id", "duty_list", "order", "content", "legal_basis", "frequency", "deadline",
         "status", "done_on", "evidence_note", "industry"],
        [(first_item + i, *row) for i, row in enumerate(items)],
    )  # fmt: skip

    # --- 约谈 ---------------------------------------------------------------------------
    office = Organisation.objects.filter(kind="office").order_by("code").first()
    Hazard = apps.get_model("hazards", "Hazard")
    majors = list(
        Hazard.objects.filter(hazard_class="major")
        .order_by("deadline", "pk")
        .values_list("pk", "enterprise_id", "enterprise__name", "deadline")[
            : max(20, round(60 * ctx.factor))
        ]
    )
    hazard_type = content_type_id("hazards.Hazard")
    enterprise_type = content_type_id("enterprises.Enterprise")
    interviews: list[tuple] = []
    if office is not None:
        summoned_units = [pk for pk, kind in units if kind != "committee"]
        count = max(30, round(50 * ctx.factor)) * len(years)
        for n in range(count):
            year = years[n % len(years)]
            day = min(datetime.date(year, 1 + n % 12, 1 + n % 27), today)
            status = "closed" if day < today - datetime.timedelta(days=30) else "held"
            if rng.random() < 0.2:
                status = "draft"
            minutes = "" if status == "draft" else "通报问题，提出整改要求"
            feedback_on = day + datetime.timedelta(days=5) if status == "closed" else None
            if majors and n % 2 == 0:
                hazard, enterprise, name, deadline = majors[(n // 2) % len(majors)]
                interviews.append(
                    (office.pk, None, name, enterprise_type, enterprise, "hazard_overdue",
                     f"重大事故隐患逾期未整改（期限 {deadline}）", hazard_type, hazard, day,
                     minutes, day + datetime.timedelta(days=7), status, feedback_on,
                     "已整改" if feedback_on else "",
                     f"hazard:{hazard}:escalation:4:{deadline}:{n}")
                )  # fmt: skip
            else:
                unit = summoned_units[n % len(summoned_units)]
                interviews.append(
                    (office.pk, unit, "责任单位", None, None, "duty_overdue",
                     "法定职责事项逾期未完成", None, None, day, minutes,
                     day + datetime.timedelta(days=7), status, feedback_on,
                     "已落实" if feedback_on else "", "")
                )  # fmt: skip
    first_interview = ctx.reserve("responsibilities.Interview", len(interviews))
    ctx.copy(
        "responsibilities.Interview",
        ["id", "summoning_unit", "summoned_unit", "summoned_name", "summoned_type",
         "summoned_id", "reason_kind", "reason_text", "reason_type", "reason_id", "date",
         "minutes", "feedback_due", "status", "feedback_on", "feedback", "source_key",
         "created_by", "created_at", "updated_at"],
        [(first_interview + i, *row, creator, aware(row[9]), aware(row[9]))
         for i, row in enumerate(interviews)],
    )  # fmt: skip

    # --- 专委会 meetings ----------------------------------------------------------------
    committees = [pk for pk, kind in units if kind == "committee"]
    departments = [pk for pk, kind in units if kind == "department"]
    meetings = []
    for committee in committees:
        for year in years:
            for n in range(6):
                day = datetime.date(year, 1 + 2 * n, 15)
                if day <= today:
                    meetings.append((committee, day, "analysis" if n % 2 == 0 else "regular",
                                     TOPICS[n % len(TOPICS)]))  # fmt: skip
    first_meeting = ctx.reserve("responsibilities.CommitteeMeeting", len(meetings))
    ctx.copy(
        "responsibilities.CommitteeMeeting",
        ["id", "committee", "held_on", "kind", "topic", "minutes", "decisions", "recorded_by",
         "created_at"],
        [(first_meeting + i, c, day, kind, topic, "会商研判本领域安全形势", "", creator, aware(day))
         for i, (c, day, kind, topic) in enumerate(meetings)],
    )  # fmt: skip
    Attendee = apps.get_model("responsibilities", "CommitteeMeeting").attendees.through
    if departments:
        rows = [
            (first_meeting + i, departments[(i + k) % len(departments)])
            for i in range(len(meetings))
            for k in range(min(4, len(departments)))
        ]
        ctx.copy(
            f"{Attendee._meta.app_label}.{Attendee._meta.model_name}",
            ["committeemeeting", "organisation"],
            rows,
        )
