from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirstRunConfig(AppConfig):
    name = "xungkich.firstrun"
    label = "firstrun"
    verbose_name = _("First-run setup")
