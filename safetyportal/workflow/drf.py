"""The API side of the error vocabulary: one DRF exception handler and a strict paginator.

settings.REST_FRAMEWORK["EXCEPTION_HANDLER"] points here, so API modules raise and never
translate errors themselves:
- StepNotAllowed -> 409 / StepForbidden -> 403, {"detail": "<reason>"}
- django ValidationError -> 400, {"field": ["msg"]} or {"detail": ["msg"]}
- django PermissionDenied -> 403, Http404 -> 404 (DRF's own handling), {"detail": "..."}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from safetyportal.core.pagination import EXACT_COUNT_LIMIT, LedgerPaginator
from safetyportal.workflow.errors import StepNotAllowed


def validation_body(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("detail" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"detail": error.messages}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StepNotAllowed):
        return Response({"detail": str(exc)}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ParseError):
        # a body that cannot be read is bad input like any other: the same 400 body
        # (field -> list of messages); the project's parsers say why in Chinese, DRF's
        # own "JSON parse error - ..." is replaced by a Chinese one
        message = str(exc.detail)
        if message.isascii():
            message = gettext("请求内容无法解析，请检查格式（JSON 或表单）。")
        return Response({"detail": [message]}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class StrictPageNumberPagination(PageNumberPagination):
    """?page= must be a positive whole number: empty or other text is a 400, not page 1.
    A page past the end stays DRF's 404.

    Pages come from the platform's LedgerPaginator (safetyportal/core/pagination.py): as
    fast at page 200 as at page 1, and `count` exact up to EXACT_COUNT_LIMIT rows, the
    database's estimate above it (the response then carries `X-Total-Count-Exact: false`);
    `next` is exact either way."""

    django_paginator_class = LedgerPaginator

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isdigit() and int(raw) >= 1):
            raise exceptions.ValidationError(
                {self.page_query_param: [gettext("页码应为从 1 开始的整数。")]}
            )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        exact = getattr(getattr(self.page, "paginator", None), "count_is_exact", True)
        response["X-Total-Count-Exact"] = "true" if exact else "false"
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = (
            f"Rows in the list: exact up to {EXACT_COUNT_LIMIT:,}; above, the database's "
            "estimate (header X-Total-Count-Exact: false). Follow `next` to page to the end."
        )
        return schema
