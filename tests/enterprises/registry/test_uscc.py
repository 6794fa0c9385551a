"""统一社会信用代码 validation: real codes pass, each kind of corruption fails with a
Chinese message saying what is wrong, and the registry never stores a bad code."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from enterprises.models import Enterprise
from enterprises.registry.forms import EnterpriseForm
from enterprises.registry.services import register_enterprise
from enterprises.registry.uscc import check_character, normalise_uscc, validate_uscc
from safetyportal.audit.models import AuditEvent
from tests.factories import CountyOfficerFactory, valid_uscc

# Published codes of real companies (Alibaba (China), Tencent (Shenzhen), Huawei, a Beijing SOE).
REAL_CODES = [
    "91330100799655058B",
    "91440300708461136T",
    "914403001922038216",
    "91110000802100433B",
]


def message_of(raw: str) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(raw)
    return excinfo.value.messages[0]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_published_codes_are_valid(code):
    validate_uscc(code)
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", REAL_CODES)
def test_wrong_check_character_is_rejected_naming_the_expected_one(code):
    wrong = "A" if code[17] != "A" else "B"
    message = message_of(code[:17] + wrong)
    assert "校验位错误" in message
    assert f"应为“{code[17]}”" in message
    assert f"实为“{wrong}”" in message


def test_a_single_mistyped_digit_is_caught_by_the_check_character():
    code = REAL_CODES[0]
    mistyped = code[:10] + ("1" if code[10] != "1" else "2") + code[11:]
    assert "校验位错误" in message_of(mistyped)


@pytest.mark.parametrize(
    ("raw", "length"),
    [(REAL_CODES[0][:17], 17), (REAL_CODES[0] + "1", 19), ("", 0)],
)
def test_wrong_length_is_rejected_with_the_actual_length(raw, length):
    assert message_of(raw) == f"统一社会信用代码应为18位，当前为{length}位。"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_alphabet_are_rejected(letter):
    raw = REAL_CODES[0][:12] + letter + REAL_CODES[0][13:]
    message = message_of(raw)
    assert message.startswith(f"统一社会信用代码含有不允许的字符：{letter}")
    assert "不使用 I、O、S、V、Z" in message


def test_non_digit_division_code_is_rejected():
    first_17 = "9143A723" + "000000001"  # 'A' is in the alphabet but not a digit
    raw = first_17 + check_character(first_17)
    assert message_of(raw) == "统一社会信用代码第3至8位应为行政区划代码（6位数字）。"


def test_punctuation_is_rejected_as_a_forbidden_character():
    raw = REAL_CODES[0][:5] + "-" + REAL_CODES[0][6:]
    assert "不允许的字符：-" in message_of(raw)


def test_lower_case_and_spaces_are_normalised():
    assert normalise_uscc(" 9133 0100 7996 5505 8b ") == "91330100799655058B"
    validate_uscc("91330100799655058b")
    validate_uscc("9133 0100 7996 5505 8B")


def test_generated_factory_codes_are_valid():
    for n in (0, 1, 999, 123456789):
        validate_uscc(valid_uscc(n))


# --- the registry form and service ------------------------------------------------------


def form_data(county, **overrides):
    data = {
        "name": "新登记企业有限公司",
        "uscc": REAL_CODES[1],
        "town": county.town.pk,
        "industry": county.industry_a.pk,
        "address": "小渡口镇工业园1号",
        "employee_count": 50,
        "scale": "small",
        "is_high_risk": "",
        "status": "operating",
        "legal_representative": "张三",
        "principal_name": "张三",
        "principal_phone": "",
    }
    data.update(overrides)
    return data


def test_registry_form_rejects_a_wrong_check_character(county, county_officer):
    form = EnterpriseForm(form_data(county, uscc="91440300708461136A"), user=CountyOfficerFactory())
    assert not form.is_valid()
    assert "校验位错误" in form.errors["uscc"][0]


def test_registry_form_accepts_lower_case_and_stores_upper_case(county, county_officer):
    form = EnterpriseForm(form_data(county, uscc="91440300708461136t"), user=CountyOfficerFactory())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["uscc"] == "91440300708461136T"


def test_registry_form_accepts_a_code_typed_with_spaces(county, county_officer):
    form = EnterpriseForm(
        form_data(county, uscc="9144 0300 7084 6113 6T"), user=CountyOfficerFactory()
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["uscc"] == "91440300708461136T"


def test_register_enterprise_rejects_a_wrong_code_and_saves_nothing(county, county_officer):
    enterprises_before = Enterprise.objects.count()
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        register_enterprise(
            actor=county_officer,
            name="错误代码企业",
            uscc="91440300708461136A",
            town=county.town,
            industry=county.industry_a,
            address="某地",
            employee_count=10,
            legal_representative="张三",
            principal_name="张三",
        )
    assert "校验位错误" in excinfo.value.message_dict["uscc"][0]
    assert Enterprise.objects.count() == enterprises_before
    assert AuditEvent.objects.count() == events_before


def test_register_enterprise_stores_a_valid_code_upper_case_and_audits(county, county_officer):
    enterprise = register_enterprise(
        actor=county_officer,
        name="正确代码企业",
        uscc="91440300708461136t",
        town=county.town,
        industry=county.industry_a,
        address="某地",
        employee_count=10,
        legal_representative="张三",
        principal_name="张三",
    )
    enterprise.refresh_from_db()
    assert enterprise.uscc == "91440300708461136T"
    event = AuditEvent.objects.for_object(enterprise).get()
    assert event.verb == "enterprise.registered"
    assert event.actor == county_officer


def test_register_enterprise_rejects_a_duplicate_typed_in_lower_case(county, county_officer):
    existing = county.xdk_chem.uscc
    with pytest.raises(ValidationError) as excinfo:
        register_enterprise(
            actor=county_officer,
            name="重复登记企业",
            uscc=existing.lower(),
            town=county.town,
            industry=county.industry_a,
            address="某地",
            employee_count=10,
            legal_representative="张三",
            principal_name="张三",
        )
    assert excinfo.value.message_dict["uscc"] == ["具有 统一社会信用代码 的 企业 已存在。"]
    assert Enterprise.objects.filter(uscc=existing).count() == 1
