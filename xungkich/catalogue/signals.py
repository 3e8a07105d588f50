"""What the catalogue announces, for the apps above it (search keeps its index with these).

The catalogue never imports those apps: it sends, they listen (connected in their AppConfig.ready).
"""

from django.dispatch import Signal

# Sent inside the writing transaction after a procedure was created or changed (its ways to submit
# included), with ``procedure``. A receiver that raises rolls the whole write back.
procedure_saved = Signal()
