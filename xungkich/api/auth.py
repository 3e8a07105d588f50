"""``Authorization: Bearer <token>`` for the JSON API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from xungkich.api import services


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.user_for_token(token)
        if user is None:
            return None
        # Endpoints reuse the app's access helpers, which read request.user.
        request.user = user
        return user
