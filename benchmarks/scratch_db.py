"""Create a benchmark's scratch PostgreSQL database when it does not exist yet.

The benchmarks name their own databases (``xk_tickets``, ``xk_reports``, …) so that they never
touch a real one; on a fresh machine those databases are missing and ``migrate`` would fail.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def ensure_database(url: str) -> None:
    """CREATE DATABASE for a postgres:// URL if needed; other URLs (SQLite) need nothing."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        return
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created the database {name}")
