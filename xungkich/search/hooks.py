"""Keeping the search index in step with the catalogue and the guides.

The catalogue and the guides announce their changes (``catalogue.signals``, ``guides.signals``)
without knowing about search; these receivers, connected in ``SearchConfig.ready``, write the
index. They run inside the sender's transaction, so a failed index write rolls the change back.
The indexing functions are looked up at call time, so a test can replace them on this module.
"""

from __future__ import annotations

from typing import Any

from xungkich.catalogue.models import Procedure
from xungkich.catalogue.signals import procedure_saved
from xungkich.guides.models import Guide, GuideVersion
from xungkich.guides.signals import guide_published, guide_unpublished
from xungkich.search import indexing


def procedure_changed(sender: Any, *, procedure: Procedure, **kwargs: Any) -> None:
    indexing.index_procedure(procedure)


def guide_shown(sender: Any, *, guide: Guide, version: GuideVersion, **kwargs: Any) -> None:
    indexing.index_guide_version(guide, version)


def guide_withdrawn(sender: Any, *, guide: Guide, **kwargs: Any) -> None:
    indexing.remove_guide(guide)


def connect() -> None:
    procedure_saved.connect(procedure_changed, dispatch_uid="search.procedure_changed")
    guide_published.connect(guide_shown, dispatch_uid="search.guide_shown")
    guide_unpublished.connect(guide_withdrawn, dispatch_uid="search.guide_withdrawn")
