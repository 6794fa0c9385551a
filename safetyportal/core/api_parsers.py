"""The API's request parsers (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]).

- JSON nested deeper than settings.API_JSON_MAX_DEPTH is refused with 400 (a 6 KB body of
  3,000 nested lists made the standard parser raise RecursionError: a 500);
- every string of every body has its control characters stripped, as forms do
  (safetyportal/core/text.py);
- an integer no id column can hold answers 400 (SQLite raised OverflowError: a 500).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from safetyportal.core.text import (
    clean_parsed_json,
    clean_query_dict,
    json_depth,
    json_has_oversized_integer,
)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = json_depth(data) > settings.API_JSON_MAX_DEPTH
        if too_deep:
            raise ParseError(
                gettext("JSON 嵌套层数过多（最多%(depth)s层），请检查请求内容。")
                % {"depth": settings.API_JSON_MAX_DEPTH}
            )
        if json_has_oversized_integer(data):
            raise ParseError(gettext("请求中的整数超出范围，请检查请求内容。"))
        return clean_parsed_json(data)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return clean_query_dict(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        return parsers.DataAndFiles(clean_query_dict(parsed.data), parsed.files)


DEFAULT_PARSERS = [JSONParser, FormParser, MultiPartParser]
