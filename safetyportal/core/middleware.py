from django.conf import settings

from safetyportal.core.text import clean_query_dict


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


class CleanTextInputMiddleware:
    """Strip control characters from every query-string and form value before any view
    or form sees them (safetyportal/core/text.py). The API's parsers do the same for
    request bodies DRF parses itself (JSON, and forms it re-reads)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = clean_query_dict(request.GET)
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            request.POST = clean_query_dict(request.POST)
        return self.get_response(request)
