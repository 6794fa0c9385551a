from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext

from safetyportal.core.text import clean_query_dict, has_oversized_integer, is_oversized_integer


class ChineseFirstLocaleMiddleware:
    """Serve Simplified Chinese unless the user picked another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and county
    computers often run English-language browsers; a page half in English (Django's own
    messages) and half in Chinese helps nobody. The language cookie, set by the switch in
    the footer, still wins. Placed just before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CleanInputMiddleware:
    """Strip control characters from every query-string and form value before any view
    or form sees them (safetyportal/core/text.py), and answer 400 for an integer no id
    column can hold in the path or the query string (SQLite raised OverflowError on
    foreign-key filters: a 500). Form bodies are not checked: a long policy number is
    text, and model choice fields look ids up by primary key, which Django bounds. The
    API's parsers do the same for request bodies DRF parses itself (JSON, and forms it
    re-reads)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = clean_query_dict(request.GET)
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            request.POST = clean_query_dict(request.POST)
        in_path = any(is_oversized_integer(p) for p in request.path.split("/"))
        if in_path or has_oversized_integer(request.GET):
            message = gettext("请求中的数字超出范围，请检查链接。")
            if request.path.startswith(API_PREFIX):
                return api_refusal(request, message, in_path=in_path)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


API_PREFIX = "/api/"
READABLE = {"ensure_ascii": False}  # the Chinese message as text, like DRF's JSON renderer


def api_refusal(request, message: str, *, in_path: bool) -> JsonResponse:
    """The API's own error bodies (safetyportal/workflow/schema.py): an id no column can
    hold names no record (404 {"detail": ...}); such a number in the query string is bad
    input for that parameter (400 {"<parameter>": [...]})."""
    if in_path:
        return JsonResponse({"detail": message}, status=404, json_dumps_params=READABLE)
    fields = sorted(
        {key for key, values in request.GET.lists() if any(is_oversized_integer(v) for v in values)}
    )
    return JsonResponse(
        {field: [message] for field in fields}, status=400, json_dumps_params=READABLE
    )
