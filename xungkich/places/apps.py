from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    """Where the service happens: the service points and their calendar of closed days.

    Rosters, the queue, the help desk and the reports all hang off a point, so the point lives
    below them (in the organisation layer) and none of them has to import another to reach it.
    """

    name = "xungkich.places"
    label = "places"
    verbose_name = _("Service points")
