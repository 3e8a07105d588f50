from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "xungkich.people"
    label = "people"
    verbose_name = _("People and units")

    def ready(self) -> None:
        # Registers the receiver of django-axes' lock-out signal (e-mail to the owner, audit entry).
        from xungkich.people import lockout  # noqa: F401
