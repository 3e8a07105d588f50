"""Which language a request is answered in.

Pages are Vietnamese unless the person chose English with the language switcher: many phones in
Viet Nam are set to English, so the browser's Accept-Language is not a choice and is ignored. The
choice lives in the language cookie and, for a signed-in person, in their profile (``language``),
which follows them to another phone. The JSON API is read by programs, and its messages follow
Accept-Language as documented (Vietnamese unless the request asks for English).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"


def chosen_language(request: HttpRequest) -> str:
    """The language a person chose (profile, then cookie), else the site's default."""
    available = {code for code, _name in settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile_language = getattr(user, "language", "")
        if profile_language in available:
            return str(profile_language)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in available:
        return cookie
    return str(settings.LANGUAGE_CODE)


class LanguageMiddleware:
    """Stands in for Django's LocaleMiddleware; goes after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path_info.startswith(API_PREFIX)
        language = translation.get_language_from_request(request) if is_api else chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if is_api:
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
