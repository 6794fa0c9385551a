"""The workflow kit: steps declared once answer the same on the page and in the API, the
schema describes them, errors have one shape, malformed query parameters are a 400."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from rest_framework import serializers

from hazards.models import Hazard, HazardStatus
from hazards.workflow import HAZARD_WORKFLOW
from responsibilities.models import Organisation
from safetyportal.workflow import Step, StepForbidden, StepNotAllowed, Workflow
from safetyportal.workflow.drf import exception_handler
from safetyportal.workflow.serializers import serializer_for
from tests.factories import evidence_photo
from tests.hazards.conftest import days

S = HazardStatus

# --- the kit on a toy record (no database) ------------------------------------------------


class ToyForm(forms.Form):
    note = forms.CharField(max_length=10)


def toy_service(*, actor, toy_id, note):
    return toy_id


def only_admins(user, toy):
    return None if user.is_admin else "只有管理员可以批准。"


def not_frozen(toy):
    return "已冻结，不能批准。" if toy.frozen else None


TOY = Workflow(
    name="toy",
    get_for_user=lambda user, pk: SimpleNamespace(pk=pk),
    object_arg="toy_id",
    transitions={"approve": (("draft",), "approved")},
    steps=[
        Step(
            name="approve",
            label="批准",
            transition="approve",
            guard=not_frozen,
            rule=only_admins,
            form=ToyForm,
            service=toy_service,
            success="已批准。",
            show_refused=lambda user: True,
        )
    ],
)


def toy(status="draft", frozen=False):
    return SimpleNamespace(pk=1, status=status, frozen=frozen)


ADMIN = SimpleNamespace(is_admin=True)
CLERK = SimpleNamespace(is_admin=False)


def test_a_step_is_unavailable_from_a_state_outside_its_sources():
    step = TOY.get("approve")
    assert TOY.available(ADMIN, toy("draft")) == [step]
    assert TOY.available(ADMIN, toy("approved")) == []
    with pytest.raises(StepNotAllowed, match="不能执行“批准”") as refused:
        TOY.check(ADMIN, toy("approved"), step)
    assert refused.value.status_code == 409


def test_a_guard_refuses_with_its_reason():
    with pytest.raises(StepNotAllowed, match="已冻结"):
        TOY.check(ADMIN, toy(frozen=True), TOY.get("approve"))


def test_a_rule_refuses_with_its_reason_and_the_panel_shows_it_disabled():
    with pytest.raises(StepForbidden, match="只有管理员") as refused:
        TOY.check(CLERK, toy(), TOY.get("approve"))
    assert refused.value.status_code == 403
    (panel,) = TOY.panel(CLERK, toy(), url_for=lambda obj, step: "/x/")
    assert not panel.enabled and panel.reason == "只有管理员可以批准。" and panel.form is None
    (panel,) = TOY.panel(ADMIN, toy(), url_for=lambda obj, step: f"/toys/{obj.pk}/{step.name}/")
    assert panel.enabled and panel.url == "/toys/1/approve/" and panel.form.prefix == "approve"


def test_an_unknown_step_is_404_and_a_step_is_declared_once():
    with pytest.raises(Http404):
        TOY.get("delete")
    step = TOY.get("approve")
    with pytest.raises(ValueError, match="declared twice"):
        Workflow(
            name="x",
            get_for_user=lambda u, pk: None,
            object_arg="x_id",
            transitions={"approve": ((), None)},
            steps=[step, step],
        )


def test_the_service_is_called_with_the_one_convention():
    assert TOY.run(TOY.get("approve"), actor=ADMIN, obj=toy(), data={"note": "好"}) == 1


# --- form -> serializer ------------------------------------------------------------------


class EveryFieldForm(forms.Form):
    text = forms.CharField(max_length=5)
    optional_text = forms.CharField(required=False)
    day = forms.DateField()
    amount = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0)
    count = forms.IntegerField(min_value=0, max_value=10)
    flag = forms.BooleanField(required=False)
    yes_no = forms.TypedChoiceField(choices=[("1", "是"), ("0", "否")], coerce=lambda v: v == "1")
    colour = forms.ChoiceField(choices=[("red", "红"), ("blue", "蓝")], initial="red")
    unit = forms.ModelChoiceField(queryset=Organisation.objects.none())
    attachment = forms.FileField(required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("count") == 7:
            raise ValidationError("七不吉利。")
        return data


def test_every_covered_form_field_becomes_the_matching_serializer_field():
    fields = serializer_for(EveryFieldForm, "EveryField")().fields
    assert isinstance(fields["text"], serializers.CharField) and fields["text"].max_length == 5
    assert fields["optional_text"].required is False
    assert isinstance(fields["day"], serializers.DateField)
    assert isinstance(fields["amount"], serializers.DecimalField)
    assert isinstance(fields["count"], serializers.IntegerField)
    assert isinstance(fields["flag"], serializers.BooleanField)
    assert isinstance(fields["yes_no"], serializers.BooleanField)
    assert isinstance(fields["colour"], serializers.ChoiceField)
    assert fields["colour"].default == "red"
    assert isinstance(fields["unit"], serializers.PrimaryKeyRelatedField)
    assert isinstance(fields["attachment"], serializers.FileField)


@pytest.mark.django_db
def test_the_derived_serializer_scopes_querysets_and_runs_the_forms_rules(county):
    serializer_class = serializer_for(EveryFieldForm, "EveryField")
    body = {
        "text": "abc",
        "day": "2026-01-02",
        "amount": "1.50",
        "count": 3,
        "yes_no": True,
        "unit": county.department.pk,
    }
    scoped = {"units": Organisation.objects.filter(pk=county.department.pk)}
    ok = serializer_class(data=body, context={"form_kwargs": scoped})
    assert ok.is_valid(), ok.errors
    assert ok.validated_data["day"] == datetime.date(2026, 1, 2)
    assert ok.validated_data["amount"] == Decimal("1.50")
    assert ok.validated_data["colour"] == "red"
    assert ok.validated_data["unit"] == county.department
    out_of_scope = {"units": Organisation.objects.none()}
    refused = serializer_class(data=body, context={"form_kwargs": out_of_scope})
    assert not refused.is_valid() and "unit" in refused.errors
    unlucky = serializer_class(data={**body, "count": 7}, context={"form_kwargs": scoped})
    assert not unlucky.is_valid() and unlucky.errors["detail"] == ["七不吉利。"]


# --- the exception handler's shapes ------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (StepNotAllowed("已销号。"), 409, {"detail": "已销号。"}),
        (StepForbidden("只有县安委办。"), 403, {"detail": "只有县安委办。"}),
        (ValidationError({"note": "请写明。"}), 400, {"note": ["请写明。"]}),
        (ValidationError("没有待审批的延期申请。"), 400, {"detail": ["没有待审批的延期申请。"]}),
        (PermissionDenied("您没有权限。"), 403, {"detail": "您没有权限。"}),
        (Http404("missing"), 404, None),
    ],
)
def test_the_exception_handler_answers_each_error_with_one_shape(error, status, body):
    response = exception_handler(error, {})
    assert response.status_code == status
    if body is not None:
        assert response.data == body
    else:
        assert set(response.data) == {"detail"}


# --- the hazard workflow through both doors -----------------------------------------------


def html_post(client, hazard, step, data):
    prefixed = {f"{step.replace('-', '_')}-{k}": v for k, v in data.items()}
    return client.post(reverse("hazards:step", args=[hazard.pk, step]), prefixed)


def api_post(client, hazard, step, data):
    return client.post(f"/api/v1/hazards/{hazard.pk}/{step}/", data, format="json")


CASES = [
    # (persona, step, data, status, reason in the answer)
    ("leader", "start", {}, 403, "只能查看"),
    ("town_official", "determine", {"list_number": "L-1"}, 403, "只有县安委办"),
    ("town_official", "verify", {"passed": "1", "opinion": "合格"}, 409, "不能执行"),
    ("county_officer", "decide-extension", {"approve": "1"}, 409, "没有待审批的延期申请"),
    ("county_officer", "void", {"reason": ""}, 400, None),
]


@pytest.mark.parametrize(("persona", "step", "data", "status", "reason"), CASES)
def test_the_page_and_the_api_answer_the_same_for_the_same_step(
    persona, step, data, status, reason, request, hazard, client_for, api_client_for
):
    user = request.getfixturevalue(persona)
    page = html_post(client_for(user), hazard, step, data)
    api_data = {k: (v == "1") if k in ("passed", "approve") else v for k, v in data.items()}
    api = api_post(api_client_for(user), hazard, step, api_data)
    assert page.status_code == api.status_code == status
    if reason:
        assert reason in page.content.decode()
        assert reason in api.json()["detail"]
    else:
        assert "reason" in api.json()
    assert Hazard.objects.get(pk=hazard.pk).status == S.REPORTED


def test_a_refused_official_sees_the_step_disabled_with_the_reason(
    hazard, client_for, enterprise_manager, town_official
):
    from hazards import services

    services.start_rectification(actor=town_official, hazard_id=hazard.pk)
    services.record_progress(
        actor=town_official, hazard_id=hazard.pk, entry_date=days(0), percent=90, note="x"
    )
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
    )
    page = client_for(town_official).get(reverse("hazards:detail", args=[hazard.pk]))
    html = page.content.decode()
    assert "verify" not in page.context["forms"]
    assert 'data-testid="verify-refusal"' in html and "登记过整改进展" in html
    # the enterprise is not an official: no disabled verify step is shown to it
    page = client_for(enterprise_manager).get(reverse("hazards:detail", args=[hazard.pk]))
    assert 'data-testid="verify-refusal"' not in page.content.decode()


def test_a_step_needing_confirmation_says_so_on_its_form(hazard, client_for, county_officer):
    html = client_for(county_officer).get(reverse("hazards:detail", args=[hazard.pk]))
    text = html.content.decode()
    assert 'data-testid="form-void"' in text and "data-confirm=" in text
    assert "btn-danger" in text


def test_unknown_step_answers_404_on_both_doors(hazard, client_for, api_client_for, county_officer):
    url = reverse("hazards:step", args=[hazard.pk, "delete"])
    assert client_for(county_officer).post(url).status_code == 404
    assert api_post(api_client_for(county_officer), hazard, "delete", {}).status_code == 404


# --- the schema ----------------------------------------------------------------------------


@pytest.fixture
def schema(client_for, county_officer):
    return client_for(county_officer).get("/api/schema/", {"format": "json"}).json()


def test_the_schema_lists_each_steps_input_fields_and_its_error_answers(schema):
    for step in HAZARD_WORKFLOW:
        operation = schema["paths"][f"/api/v1/hazards/{{id}}/{step.name}/"]["post"]
        assert {"200", "400", "401", "403", "404", "409"} <= set(operation["responses"])
        for code in ("403", "404", "409"):
            content = operation["responses"][code]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Detail"}
        if not step.form.base_fields:
            continue
        content = operation["requestBody"]["content"]
        ref = next(iter(content.values()))["schema"]["$ref"].rsplit("/", 1)[1]
        assert set(schema["components"]["schemas"][ref]["properties"]) == set(step.form.base_fields)
    # field -> messages; nested input (items of a list) -> an error object per item; a
    # single refusal -> one detail string (ADR 0044)
    assert schema["components"]["schemas"]["ValidationError"]["additionalProperties"] == {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "object"}]}},
        ]
    }


def test_every_operation_lists_its_error_answers(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            if path == "/api/v1/auth/token/":
                assert "400" in codes
                continue
            assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            queried = any(p["in"] == "query" for p in operation.get("parameters", []))
            if method == "get" and not path.endswith("}/") and queried:
                assert "400" in codes, (method, path)  # its query parameters


# --- malformed query parameters -----------------------------------------------------------

MALFORMED = [
    ("/api/v1/hazards/", {"page": ""}, "page"),
    ("/api/v1/hazards/", {"page": "abc"}, "page"),
    ("/api/v1/hazards/", {"page": "0"}, "page"),
    ("/api/v1/hazards/", {"found_after": "昨天"}, "found_after"),
    ("/api/v1/hazards/", {"ordering": "drop table"}, "ordering"),
    ("/api/v1/major-hazards/", {"page": "x"}, "page"),
    ("/api/v1/risk-points/", {"page": ""}, "page"),
    ("/api/v1/enterprises/", {"page": "two"}, "page"),
]


@pytest.mark.parametrize(("url", "params", "field"), MALFORMED)
def test_malformed_query_parameters_are_a_400_with_the_field(
    url, params, field, api_client_for, county_officer
):
    response = api_client_for(county_officer).get(url, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "params",
    [{"page": ""}, {"page": "abc"}, {"found_after": "昨天"}, {"ordering": "drop table"}],
)
@pytest.mark.parametrize("url_name", ["hazards:list", "hazards:risks"])
def test_list_pages_do_not_fail_on_malformed_query_parameters(
    url_name, params, client_for, county_officer, hazard
):
    assert client_for(county_officer).get(reverse(url_name), params).status_code == 200
