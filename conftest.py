"""Test-wide environment, set before Django loads its settings."""

import os

# Background tasks run inside the request in tests, so their effects can be asserted at once.
os.environ.setdefault("TASKS_BACKEND", "immediate")
