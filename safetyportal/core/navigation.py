"""The main navigation per role, in groups shown as drop-down menus. Each issue adds its
entries here; the notification list is reached from the bell in the header."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from safetyportal.accounts.models import Role

ALL_ROLES = tuple(Role.values)
OFFICIALS = (Role.COUNTY_OFFICE, Role.LEADER, Role.DEPARTMENT, Role.TOWN)
ALL_ROLES_BUT_EXPERT = (*OFFICIALS, Role.ENTERPRISE)

# (group label or None for a top-level link, url name, label, roles that see it)
NAVIGATION = [
    (None, "home", _("工作台"), ALL_ROLES),
    # the dashboards (issue 12 item 2): the county's, a town's, a department's
    (None, "dashboard:index", _("数据看板"), OFFICIALS),
    (
        _("企业"),
        "enterprises:list",
        _("企业名录"),
        tuple(r for r in ALL_ROLES if r != Role.ENTERPRISE),
    ),
    # an enterprise account has its own file, not a registry (the list redirects to it)
    (_("企业"), "enterprises:list", _("本企业档案"), (Role.ENTERPRISE,)),
    (_("企业"), "enterprises:compliance", _("法定职责跟进"), OFFICIALS),
    (_("企业"), "enterprises:assessment_list", _("安全生产自评"), (*OFFICIALS, Role.ENTERPRISE)),
    (_("隐患治理"), "hazards:list", _("隐患台账"), ALL_ROLES),
    (_("隐患治理"), "hazards:risks", _("风险管控"), ALL_ROLES),
    (_("执法监管"), "enforcement:inspection_list", _("执法检查"), OFFICIALS),
    (_("执法监管"), "enforcement:plan_progress", _("检查计划"), OFFICIALS),
    (_("执法监管"), "enforcement:pairing_list", _("包联指导"), OFFICIALS),
    (_("执法监管"), "enforcement:case_list", _("行政处罚案件"), (*OFFICIALS, Role.ENTERPRISE)),
    (_("执法监管"), "enforcement:inspection_unfollowed", _("只检查不执法"), OFFICIALS),
    (_("执法监管"), "enforcement:repeat_offenders", _("屡罚不改"), OFFICIALS),
    (_("执法监管"), "enforcement:exposure_manage", _("曝光台管理"), (Role.COUNTY_OFFICE,)),
    (_("执法监管"), "enforcement:report_list", _("安全生产举报"), OFFICIALS),
    (_("执法依据"), "enforcement:authority_items", _("委托执法事项"), OFFICIALS),
    (_("执法依据"), "enforcement:authority_authorisations", _("镇街委托授权"), OFFICIALS),
    (_("执法依据"), "enforcement:authority_officers", _("执法人员"), OFFICIALS),
    (_("生产安全事故"), "enforcement:accident_list", _("事故报告"), ALL_ROLES_BUT_EXPERT),
    (_("生产安全事故"), "enforcement:accident_statistics", _("事故统计"), OFFICIALS),
    (_("责任体系"), "responsibilities:organisations", _("组织机构"), OFFICIALS),
    (_("责任体系"), "responsibilities:reminders", _("安全提醒"), ALL_ROLES),
    (_("责任体系"), "responsibilities:duty_overview", _("责任清单"), OFFICIALS),
    (_("责任体系"), "responsibilities:interview_list", _("约谈"), OFFICIALS),
    (_("责任体系"), "responsibilities:committees", _("专委会"), OFFICIALS),
    (_("责任体系"), "responsibilities:supervision_map", _("监管责任图"), OFFICIALS),
    (_("责任体系"), "responsibilities:appraisal_index", _("年度考核"), OFFICIALS),
    # --- stored reports (issue 12 item 3); the one 通报 entry: the numbered half-monthly
    # bulletin lives here, the old unnumbered ones are an archive linked from its list
    # (ADR 0042) ---
    (_("隐患治理"), "reports:list", _("报告与通报"), OFFICIALS),
    # periodic jobs (branch notif): the county office switches them and moves their times
    (_("系统"), "core:schedules", _("定时任务"), (Role.COUNTY_OFFICE,)),
]


@lru_cache(maxsize=64)
def _url(url_name: str, script_prefix: str, urlconf: str | None) -> str:
    """The entries' URLs, reversed once per process (they take no arguments; the key
    holds what else they are reversed under)."""
    return reverse(url_name, urlconf=urlconf)


def navigation_for(user, current_path: str) -> list[dict]:
    """Top-level entries for `user`: links, or groups with their visible links.

    The active link is the one whose URL is the longest prefix of the current path, so
    /enterprises/assessments/ lights up 安全生产自评, not also 企业名录.
    """
    prefix, urlconf = get_script_prefix(), get_urlconf()
    visible = [
        (group, _url(url_name, prefix, urlconf), label)
        for group, url_name, label, roles in NAVIGATION
        if user.is_superuser or user.role in roles
    ]
    matches = [
        url
        for _g, url, _l in visible
        if current_path == url or (url != "/" and current_path.startswith(url))
    ]
    active_url = max(matches, key=len, default=None)

    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for group, url, label in visible:
        link = {"url": url, "label": label, "active": url == active_url}
        if group is None:
            entries.append(link)
            continue
        key = str(group)
        if key not in groups:
            groups[key] = {"label": group, "links": [], "active": False}
            entries.append(groups[key])
        groups[key]["links"].append(link)
        groups[key]["active"] = groups[key]["active"] or link["active"]
    # a group with a single visible link is shown as that link
    return [
        entry["links"][0] if "links" in entry and len(entry["links"]) == 1 else entry
        for entry in entries
    ]
