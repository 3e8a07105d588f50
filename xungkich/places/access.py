"""Who may see and manage a service point, by the unit it belongs to.

A point outside the user's visible units is a 404; inside them, it may be changed (its poster,
its desk) when it is in the user's managed units. The planning pages read points through the
roster planners' own scope (``rosters.plan.access``), and the queue and the help desk through
theirs: each of those adds role rules this one does not know.
"""

from __future__ import annotations

from django.http import Http404

from xungkich.people.models import User
from xungkich.people.scope import managed_units, visible_units
from xungkich.places.models import ServicePoint


def get_point_for_user(user: User, pk: int) -> tuple[ServicePoint, bool]:
    """(point, can_edit); Http404 when the point's unit is outside what the user may see."""
    point = ServicePoint.objects.select_related("unit").filter(pk=pk).first()
    if point is None or not visible_units(user).filter(pk=point.unit_id).exists():
        raise Http404
    return point, managed_units(user).filter(pk=point.unit_id).exists()
