"""``Authorization: Bearer <token>`` for the JSON API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from xungkich.accounts.services import must_set_up_two_factor
from xungkich.api import services
from xungkich.people.models import User


class TwoFactorRequired(Exception):
    """The token's user must turn on two-step sign-in first (answered as a 403 by the API)."""


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.user_for_token(token)
        if user is None:
            return None
        # Tokens are made by an administrator (``manage.py create_api_token``) and carry no code of
        # their own: while two-step sign-in is required, a coordinator's token works only once that
        # coordinator has an authenticator, so a token is no way around setting it up.
        if must_set_up_two_factor(user):
            raise TwoFactorRequired
        # Endpoints reuse the app's access helpers, which read request.user.
        request.user = user
        return user


class SessionCookie(SessionAuth):
    """The signed-in person's session, for the app's own pages that call the API (the offline desk).

    Django's CSRF check applies (header ``X-CSRFToken``), so another site cannot post with the cookie;
    two-step sign-in is enforced for sessions by ``RequireTwoFactorMiddleware`` before the API runs.
    """

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if isinstance(user, User) and user.is_active else None


#: Bearer token first (scripts, other systems), then the session (the app's own pages).
TOKEN_OR_SESSION = [BearerToken(), SessionCookie()]
