"""Authentication backend that loads what every page needs with the user in one query.

It stays beside the User model rather than in ``accounts``: Django stores this dotted path in every
signed-in session and keeps a session only while the path is in AUTHENTICATION_BACKENDS, so moving
it would sign everyone out.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from xungkich.people.models import User


class UserBackend(ModelBackend):
    """Loads the user's unit (scope checks) and volunteer profile (menu) with the user itself."""

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("unit", "volunteer").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
