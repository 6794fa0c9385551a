"""The schema documents the error vocabulary: every operation lists what it can answer.

`document_errors` (a drf-spectacular postprocessing hook) adds to each operation, where not
already described: 400 with the validation-error body when it takes a body or query
parameters, 401 and 403 when it needs a login, 404 when its path names a record or it
pages (a page past the end). Step
actions add 409 themselves (ERROR_RESPONSES).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="为什么（中文）")


DETAIL_REF = {"$ref": "#/components/schemas/Detail"}
VALIDATION_REF = {"$ref": "#/components/schemas/ValidationError"}
VALIDATION_SCHEMA = {
    "type": "object",
    "description": (
        "输入有误：字段名（或 detail / non_field_errors）对应错误说明的列表；"
        "嵌套的输入（列表中的各项）按位置给出各自的错误对象；个别拒绝只给一句 detail。"
    ),
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {
                "type": "array",
                "items": {"oneOf": [{"type": "string"}, {"type": "object"}]},
            },
        ]
    },
    "example": {"deadline": ["整改期限不能早于发现日期。"]},
}

DESCRIPTIONS = {
    "400": "输入有误（字段错误，中文说明）",
    "401": "未登录或令牌无效",
    "403": "角色或辖区不允许",
    "404": "记录不存在或不在您的职责范围内（列表：页码超出末页）",
    "409": "记录当前状态不允许此步骤",
}

# what a workflow step action answers besides 200
ERROR_RESPONSES = {
    400: OpenApiResponse(description=DESCRIPTIONS["400"]),
    403: OpenApiResponse(DetailSerializer, description=DESCRIPTIONS["403"]),
    404: OpenApiResponse(DetailSerializer, description=DESCRIPTIONS["404"]),
    409: OpenApiResponse(DetailSerializer, description=DESCRIPTIONS["409"]),
}

METHODS = {"get", "put", "patch", "post", "delete"}


def _body(ref: dict[str, str]) -> dict[str, Any]:
    return {"application/json": {"schema": ref}}


def _add(responses: dict[str, Any], code: str, ref: dict[str, str]) -> None:
    response = responses.setdefault(code, {"description": DESCRIPTIONS[code]})
    response.setdefault("content", _body(ref))


def document_errors(result, generator, request, public):  # noqa: ARG001 (hook signature)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Detail",
        {
            "type": "object",
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        },
    )
    schemas["ValidationError"] = VALIDATION_SCHEMA
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
            if "requestBody" in operation or has_query or "400" in responses:
                _add(responses, "400", VALIDATION_REF)
                # every 400 comes through the one exception handler: one body for all
                responses["400"]["content"] = _body(VALIDATION_REF)
            needs_login = any(scheme for scheme in operation.get("security", []))
            if needs_login:
                _add(responses, "401", DETAIL_REF)
                _add(responses, "403", DETAIL_REF)
            pages = any(
                p.get("in") == "query" and p.get("name") == "page"
                for p in operation.get("parameters", [])
            )
            if "{" in path or pages:  # a page past the end of a list is a 404 too
                _add(responses, "404", DETAIL_REF)
            for code in ("403", "404", "409", "429"):
                if code in responses:
                    responses[code].setdefault("content", _body(DETAIL_REF))
    return result


class ReadOnlyBlankChoiceExtension(OpenApiSerializerFieldExtension):
    """A read-only choice field over a model field that may be blank (`blank=True`: the
    penalty kind before a decision, a report's outcome before verification) answers "":
    document it. ModelSerializer drops `allow_blank` from read-only fields (it only
    matters for input), so drf-spectacular's enum would otherwise leave "" out and every
    record still without a value would break the schema. Registered by importing this
    module (WorkflowConfig.ready)."""

    target_class = "rest_framework.fields.ChoiceField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        if field.read_only and not field.allow_blank and _model_field_is_blank(field):
            field.allow_blank = True
        return auto_schema._map_serializer_field(field, direction, bypass_extensions=True)


def _model_field_is_blank(field: serializers.Field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return False
    return bool(getattr(model_field, "blank", False)) and isinstance(
        model_field, models.CharField | models.TextField
    )
