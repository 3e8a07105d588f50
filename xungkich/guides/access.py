"""Who may edit guides: one helper, ``get_guide_for_editor(user, pk) -> (guide, can_edit)``.

- Citizens read published guides without an account (the public views never call this).
- Editors are coordinators (and superusers). Every other role gets 403 on every editor page.
- A guide maintained by a unit: coordinators of that unit or a unit above it edit it; a
  coordinator below it reads it (403 on writes); a coordinator elsewhere in the tree gets 404.
- A shared guide (no unit, like the first guides loaded with the app): every coordinator edits it.

The checks compare materialised unit paths of objects already loaded (the user's unit comes
with the user, the guide's with ``select_related``), so they cost no query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from xungkich.guides.models import Guide
from xungkich.people.models import OrgUnit, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def is_guide_editor(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.COORDINATOR))


def require_guide_editor(user: User | AnonymousUser) -> None:
    if not is_guide_editor(user):
        raise PermissionDenied


def _ancestor_paths(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def can_edit_unit(user: User, unit: OrgUnit | None) -> bool:
    if user.is_superuser or unit is None:
        return True
    own = user.unit
    return own is not None and unit.path.startswith(own.path)


def can_read_unit(user: User, unit: OrgUnit | None) -> bool:
    if can_edit_unit(user, unit):
        return True
    own = user.unit
    return own is not None and unit is not None and own.path.startswith(unit.path)


def editable_guides(user: User) -> QuerySet[Guide]:
    """Guides the editor may see in the editor pages (theirs, shared, and those above them)."""
    guides = Guide.objects.select_related("unit", "published_version")
    if user.is_superuser:
        return guides
    own = user.unit
    if own is None:
        return guides.filter(unit__isnull=True)
    return guides.filter(
        Q(unit__isnull=True)
        | Q(unit__path__startswith=own.path)
        | Q(unit__path__in=_ancestor_paths(own.path))
    )


def get_guide_for_editor(user: User | AnonymousUser, pk: int) -> tuple[Guide, bool]:
    """(guide, can_edit): 403 for anyone but coordinators, 404 outside their part of the tree."""
    require_guide_editor(user)
    assert isinstance(user, User)
    guide = Guide.objects.select_related("unit", "published_version").filter(pk=pk).first()
    if guide is None or not can_read_unit(user, guide.unit):
        raise Http404
    return guide, can_edit_unit(user, guide.unit)


def get_editable_guide(user: User | AnonymousUser, pk: int) -> Guide:
    guide, can_edit = get_guide_for_editor(user, pk)
    if not can_edit:
        raise PermissionDenied
    return guide
