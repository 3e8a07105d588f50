"""Backing up and checking a restore of the PostgreSQL database (docs/deployment.md, "Backups").

The dump is PostgreSQL's own custom format (``pg_dump -Fc``): compressed, and ``pg_restore`` can
restore it into a fresh database, table by table if need be. A backup is only as good as its last
restore: ``manage.py restore_check DUMP`` restores a dump into a scratch database, checks that it
holds every table and migration of this code, and prints each table's row count.

``fingerprints`` (row count and a checksum of every row of every table) lets a test compare a
database with its restored copy exactly.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql


class BackupError(Exception):
    pass


def _environment(db: Mapping[str, Any]) -> dict[str, str]:
    """libpq's environment for a Django DATABASES entry (no password on a command line)."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _run(args: list[str], db: Mapping[str, Any]) -> None:
    # Fixed programs with an argument list, no shell; the database names are checked by the caller.
    done = subprocess.run(args, env=_environment(db), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()}")


def dump(*, db: Mapping[str, Any], path: Path) -> None:
    """``pg_dump -Fc`` of the database ``db["NAME"]`` into ``path``."""
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}", str(db["NAME"])], db)


def restore(*, db: Mapping[str, Any], path: Path, into: str) -> None:
    """Create the empty database ``into`` (it must not exist) and ``pg_restore`` the dump into it."""
    _run(["createdb", into], db)
    _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={into}", str(path)], db)


def drop(*, db: Mapping[str, Any], name: str) -> None:
    _run(["dropdb", "--if-exists", name], db)


def _connect(db: Mapping[str, Any], name: str) -> psycopg.Connection[Any]:
    return psycopg.connect(
        dbname=name,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
    )


def tables(*, db: Mapping[str, Any], name: str) -> list[str]:
    with _connect(db, name) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    return [row[0] for row in rows]


def fingerprints(*, db: Mapping[str, Any], name: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and the md5 of its rows (as text, sorted): equal on an exact copy."""
    result: dict[str, tuple[int, str]] = {}
    with _connect(db, name) as connection:
        for table in tables(db=db, name=name):
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {} t"
            ).format(sql.Identifier(table))
            count, digest = connection.execute(query).fetchone() or (0, "")
            result[table] = (int(count), str(digest))
        # Sequences too: a restored database must not hand out ids its rows already hold.
        for name_, last in connection.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall():
            result[f"sequence {name_}"] = (int(last or 0), "")
    return result


def applied_migrations(*, db: Mapping[str, Any], name: str) -> set[tuple[str, str]]:
    with _connect(db, name) as connection:
        rows = connection.execute("SELECT app, name FROM django_migrations").fetchall()
    return {(app, migration) for app, migration in rows}
