from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "xungkich.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Search sits above the catalogue and the guides: it listens to what they announce.
        from xungkich.search import hooks

        hooks.connect()
