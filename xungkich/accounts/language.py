"""The language switcher: the choice goes into the cookie and, signed in, into the profile."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.views.i18n import set_language as django_set_language

from xungkich.people.models import User


def save_language_choice(*, user: User, language: str) -> None:
    """Remember a person's language on their profile, so another phone shows it too."""
    if language not in {code for code, _name in settings.LANGUAGES} or user.language == language:
        return
    user.language = language
    user.save(update_fields=["language"])


def set_language(request: HttpRequest) -> HttpResponseBase:
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        save_language_choice(user=request.user, language=request.POST.get("language", ""))
    return response
