from django.conf import settings


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
