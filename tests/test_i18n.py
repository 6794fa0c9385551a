"""The English interface: Chinese stays the default whatever the browser asks for, the
footer's switch turns the pages English, and the English catalogue is complete and
compiled (locale/en/LC_MESSAGES/django.po and its committed django.mo)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.hazards import conftest as hazard_fixtures

LOGIN_URL = reverse("login")
HOME_URL = reverse("home")
ENTERPRISES_URL = reverse("enterprises:list")
SET_LANGUAGE_URL = reverse("set_language")
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# Labels of the header, the navigation and the footer: none may survive in English.
CHINESE_CHROME = [
    "澧县安全生产监管门户",
    "跳到正文",
    "工作台",
    "企业名录",
    "隐患治理",
    "隐患台账",
    "责任体系",
    "安全提醒",
    "个人设置",
    "修改密码",
    "退出登录",
    "切换",
    "澧县安全生产委员会办公室",
]


@pytest.fixture(autouse=True)
def _restore_language():
    """A request leaves its language active in the thread (LocaleMiddleware does not
    reset it); put back the previous one so later tests that render lazy labels outside
    a request do not get English."""
    previous = translation.get_language()
    yield
    translation.activate(previous)


@dataclass
class PoEntry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


def parse_po(path: Path) -> list[PoEntry]:
    """The entries of a .po file (obsolete `#~` entries left out); enough of the format
    for what makemessages writes: flags, msgctxt, msgid, msgid_plural, msgstr and
    msgstr[n], each possibly continued on following "..." lines."""
    entries: list[PoEntry] = []
    entry: PoEntry | None = None
    flags: list[str] = []
    target: tuple[str, int] | None = None
    keyword = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr)(?:\[(\d+)\])?\s+(".*")$')
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#,"):
            flags += [flag.strip() for flag in line[2:].split(",")]
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            assert entry is not None and target is not None, f"stray line in {path}: {line}"
            text = ast.literal_eval(line)
            if target[0] == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + text
            elif target[0] == "msgid":
                entry.msgid += text
            elif target[0] == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + text
            elif target[0] == "msgstr":
                entry.msgstr[target[1]] += text
            continue
        match = keyword.match(line)
        assert match, f"unexpected line in {path}: {line}"
        word, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
        if word in ("msgctxt", "msgid") and (entry is None or entry.msgstr):
            entry = PoEntry(flags=flags)
            entries.append(entry)
            flags = []
        assert entry is not None
        if word == "msgctxt":
            entry.msgctxt = text
        elif word == "msgid":
            entry.msgid = text
        elif word == "msgid_plural":
            entry.msgid_plural = text
        elif word == "msgstr":
            entry.msgstr[int(index or 0)] = text
        target = (word, int(index or 0))
    return entries


def catalogue() -> list[PoEntry]:
    """Every entry but the header."""
    return [entry for entry in parse_po(PO_PATH) if entry.msgid]


def english_client(client: Client | None = None) -> Client:
    """`client` (or a new anonymous one) after choosing English with the footer's switch."""
    client = client or Client()
    response = client.post(SET_LANGUAGE_URL, {"language": "en", "next": HOME_URL})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


def english(msgid: str) -> str:
    with translation.override("en"):
        return translation.gettext(msgid)


# --- Chinese by default -------------------------------------------------------------


def test_login_page_is_chinese_for_an_english_browser(db):
    html = Client().get(LOGIN_URL, **ENGLISH_BROWSER).content.decode()

    assert '<html lang="zh-CN"' in html
    assert "登录" in html
    assert english("登录") not in html


def test_home_page_is_chinese_for_an_english_browser(client_for, town_official):
    response = client_for(town_official).get(HOME_URL, **ENGLISH_BROWSER)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN"' in html
    assert "工作台" in html
    assert english("工作台") not in html


# --- English after the switch -------------------------------------------------------


def assert_english(html: str, *labels: str) -> None:
    assert '<html lang="en"' in html
    for msgid in labels:
        assert english(msgid) in html, f"no English for {msgid!r}"
    leftovers = [label for label in CHINESE_CHROME if label in html]
    assert not leftovers, f"Chinese labels left on an English page: {leftovers}"


def test_switch_makes_the_login_page_english(db):
    client = english_client()

    response = client.get(LOGIN_URL, **ENGLISH_BROWSER)

    assert response.status_code == 200
    assert_english(response.content.decode(), "登录", "用户名", "密码")
    assert english("登录") == "Sign in"


def test_switch_makes_the_home_page_english(client_for, town_official):
    client = english_client(client_for(town_official))

    response = client.get(HOME_URL)

    assert response.status_code == 200
    assert_english(response.content.decode(), "工作台", "企业名录", "隐患台账", "退出登录")
    assert english("工作台") == "Dashboard"


def test_switch_makes_the_enterprise_list_english(client_for, town_official):
    client = english_client(client_for(town_official))

    response = client.get(ENTERPRISES_URL)

    assert response.status_code == 200
    html = response.content.decode()
    # (a town official's list has no town choice: issue 8 item 17)
    assert_english(html, "企业名录", "企业名称", "全部行业")
    assert english("企业名录") == "Enterprise directory"
    assert "小渡口建筑工程公司" in html  # data stays as entered


def test_language_cookie_alone_selects_english(client_for, town_official):
    client = client_for(town_official)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(HOME_URL).content.decode()

    assert_english(html, "工作台")


# --- The catalogue ------------------------------------------------------------------


def test_every_msgid_has_an_english_translation():
    entries = catalogue()
    assert len(entries) > 500, "the English catalogue looks truncated"

    missing = [
        entry.msgid
        for entry in entries
        if not entry.msgstr or not all(text.strip() for text in entry.msgstr.values())
    ]
    assert not missing, (
        f"{len(missing)} msgid(s) without an English msgstr in {PO_PATH} "
        "(run makemessages, translate, then compilemessages):\n" + "\n".join(missing)
    )


def test_no_fuzzy_translations():
    fuzzy = [entry.msgid or "(header)" for entry in parse_po(PO_PATH) if "fuzzy" in entry.flags]
    assert not fuzzy, "fuzzy entries are ignored by compilemessages:\n" + "\n".join(fuzzy)


def test_plural_entries_have_both_forms():
    plurals = [entry for entry in catalogue() if entry.msgid_plural is not None]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr) == [0, 1], entry.msgid


def test_placeholders_are_kept():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    wrong = [
        entry.msgid
        for entry in catalogue()
        for text in entry.msgstr.values()
        if sorted(placeholder.findall(text)) != sorted(placeholder.findall(entry.msgid))
    ]
    assert not wrong, "placeholders differ from the msgid:\n" + "\n".join(wrong)


# --- The compiled catalogue ---------------------------------------------------------


def test_compiled_catalogue_exists():
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run manage.py compilemessages -l en"


@pytest.mark.parametrize("msgid", ["登录", "工作台", "企业名录"])
def test_compiled_catalogue_matches_po_for_samples(msgid):
    translations = {entry.msgid: entry.msgstr[0] for entry in catalogue() if not entry.msgctxt}

    assert english(msgid) == translations[msgid]


def test_compiled_catalogue_matches_po():
    """A .mo compiled before the last edit of the .po shows up here."""
    stale = []
    with translation.override("en"):
        for entry in catalogue():
            if entry.msgctxt is not None:
                pairs = [(translation.pgettext(entry.msgctxt, entry.msgid), entry.msgstr[0])]
            elif entry.msgid_plural is None:
                pairs = [(translation.gettext(entry.msgid), entry.msgstr[0])]
            else:
                pairs = [
                    (translation.ngettext(entry.msgid, entry.msgid_plural, n), entry.msgstr[i])
                    for n, i in ((1, 0), (2, 1))
                ]
            if any(got != expected for got, expected in pairs):
                stale.append(entry.msgid)
    assert not stale, (
        f"{MO_PATH} does not match the .po (run manage.py compilemessages -l en) for:\n"
        + "\n".join(stale)
    )


# --- Messages made in Python code -------------------------------------------------------

report = hazard_fixtures.report  # fixtures of tests/hazards/conftest.py, used here too
hazard = hazard_fixtures.hazard


def cookie_client(client: Client) -> Client:
    """`client` with English chosen by the language cookie alone."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_hazard_step_refusal_is_english(client_for, enterprise_manager, hazard):
    """An enterprise may not verify its own rectification: the refusal raised in the
    permissions (StepForbidden) reaches the English page in English."""
    client = cookie_client(client_for(enterprise_manager))

    response = client.post(
        reverse("hazards:step", args=[hazard.pk, "verify"]),
        {"verify-passed": "1", "verify-opinion": "已整改到位"},
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert english("企业不能核查自己的整改，须由镇街或部门核查。") in html
    assert (
        "An enterprise cannot verify its own rectification; verification must be done by "
        "the town/subdistrict or a department."
    ) in html
    assert "企业不能核查自己的整改" not in html


def test_hazard_step_refusal_stays_chinese_by_default(client_for, enterprise_manager, hazard):
    response = client_for(enterprise_manager).post(
        reverse("hazards:step", args=[hazard.pk, "verify"]),
        {"verify-passed": "1", "verify-opinion": "已整改到位"},
    )

    assert response.status_code == 403
    assert "企业不能核查自己的整改，须由镇街或部门核查。" in response.content.decode()


def test_hazard_form_validation_error_is_english(client_for, town_official, county):
    client = cookie_client(client_for(town_official))

    response = client.post(
        reverse("hazards:create"),
        {
            "enterprise": county.xdk_build.pk,
            "source": "inspection",
            "location": "3号楼",
            "description": "脚手架连墙件缺失",
            "found_on": "2026-03-10",
            "deadline": "2026-03-01",
            "responsible_person": "周经理",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The rectification deadline cannot be earlier than the date found." in html
    assert "整改期限不能早于发现日期。" not in html


def test_compliance_messages_on_the_enterprise_page_are_english(client_for, town_official, county):
    """xdk_build has no duty records: every check fails with a message made in Python."""
    client = cookie_client(client_for(town_official))

    response = client.get(reverse("enterprises:detail", args=[county.xdk_build.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert english("尚未填报安全管理机构和人员。") in html
    assert "The safety management body and staff have not been reported yet." in html
    assert "No emergency drill records." in html
    assert "Missing: " in html  # the documents check lists what is missing
    for chinese in ("尚未填报安全管理机构和人员。", "没有应急演练记录。", "缺少："):
        assert chinese not in html, chinese


def test_audit_verbs_read_as_actions_in_english():
    """The same Chinese words are button titles and audit labels; the context keeps the
    English apart."""
    from safetyportal.audit.verbs import label_for

    with translation.override("en"):
        assert label_for("hazard.rectification_started") == "started rectification"
        assert label_for("hazard.extension_requested") == "requested an extension"
        assert label_for("hazard.closure_applied") == "applied for closure"
        assert translation.gettext("开始整改") == "Start rectification"
    with translation.override("zh-hans"):
        assert label_for("hazard.rectification_started") == "开始整改"


def test_an_english_user_exports_and_reimports_the_registry_in_the_chinese_layout(
    county, county_officer, client_for
):
    """The Excel layout keeps the Chinese labels (小型, 在营) whatever language the user
    reads, so an exported file imports again unchanged."""
    import io

    from openpyxl import load_workbook

    from enterprises.importing.rows import RowValidator, read_rows

    client = client_for(county_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/enterprises/export/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    values = [
        cell
        for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
        for cell in row
    ]
    assert "在营" in values
    with translation.override("en"):
        validator = RowValidator(actor=county_officer)
    assert "小型" in validator.scales and "在营" in validator.statuses
    rows = read_rows(io.BytesIO(content))
    assert rows, "the export has data rows"
