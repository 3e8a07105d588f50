"""Weight of the offline desk's shell: what a phone downloads once to record help without a network.

    .venv/bin/python benchmarks/offline_shell_size.py

In a fresh test database with the demo's people and points (``load_demo --volume 0``), signed in as
the demo volunteer: the page ``/desk/offline/`` as drawn for them, the service worker ``/sw.js``, the
manifest, and every file the worker keeps (``xungkich.pwa.SHELL_ASSETS``), each raw and gzip-compressed
(level 6, what a server or proxy sends). The procedure list is measured apart
(benchmarks/offline_index_size.py): it grows with the catalogue. The budget is 200 KB compressed;
``xungkich/helpdesk/tests/test_offline.py`` keeps the suite under it.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xungkich.settings")
os.environ.setdefault("XK_VAR_DIR", tempfile.mkdtemp(prefix="xk-shell-bench-"))

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

BUDGET = 200 * 1024


def main() -> None:
    from xungkich import pwa
    from xungkich.people.models import User

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", volume=0, stdout=io.StringIO())
        client = Client()
        client.force_login(
            User.objects.get(username="tinhnguyen"), backend="xungkich.people.backends.UserBackend"
        )
        parts = [
            ("page /desk/offline/", client.get("/desk/offline/").content),
            ("service worker /sw.js", client.get("/sw.js").content),
            ("manifest", client.get("/manifest.webmanifest").content),
        ]
        for name in pwa.SHELL_ASSETS:
            parts.append((name, Path(finders.find(name)).read_bytes()))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print("| part | raw | gzip |\n|---|---:|---:|")
    total_raw = total_gzip = 0
    for name, body in parts:
        packed = len(gzip.compress(body, compresslevel=6))
        total_raw += len(body)
        total_gzip += packed
        print(f"| {name} | {len(body) / 1024:.1f} KB | {packed / 1024:.1f} KB |")
    print(f"| **total** | **{total_raw / 1024:.1f} KB** | **{total_gzip / 1024:.1f} KB** |")
    print(f"\nBudget {BUDGET / 1024:.0f} KB compressed: {total_gzip / BUDGET:.0%} used.")


if __name__ == "__main__":
    main()
