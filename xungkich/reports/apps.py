from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xungkich.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        """Listen to the domain's change announcements: the figures they change are marked."""
        from xungkich.core import changes
        from xungkich.reports import announcements

        changes.listen(announcements.record)
