from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in: passwords, two-step sign-in, lock-outs, password reset, the language choice.

    Its one model is the invitation (``models.py``). The User model (and its Role) stays in
    ``people.models``: moving
    AUTH_USER_MODEL to another app on a live database means rewriting the migration history of the
    user table and of every foreign key to it, a change Django documents as unsupported. The
    accounts' rules live here (``services.py``) and read the user from ``people``.
    """

    name = "xungkich.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Registers the receiver of django-axes' lock-out signal (e-mail to the owner, audit entry).
        from xungkich.accounts import lockout  # noqa: F401
