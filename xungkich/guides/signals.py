"""What the guides announce, for the apps above them (search keeps its index with these).

The guides never import those apps: they send, the others listen (connected in their
AppConfig.ready). Both signals are sent inside the writing transaction, so a receiver that raises
rolls the change back.
"""

from django.dispatch import Signal

# ``guide`` now shows ``version`` to citizens (a new publication, or the loader re-announcing it).
guide_published = Signal()
# ``guide`` is no longer shown to citizens (its versions stay).
guide_unpublished = Signal()
