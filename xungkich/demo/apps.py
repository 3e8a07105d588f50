from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo loader: no models; an app so that Django finds its ``load_demo`` command."""

    name = "xungkich.demo"
    label = "demo"
    verbose_name = _("Demo data")
