"""Settings come from the environment; each case runs in a fresh interpreter."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_django(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "TASKS_BACKEND",
        }
    }
    script = "import django; django.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "xungkich.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    result = run_django(
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "mode = c.execute('PRAGMA journal_mode').fetchone()[0]\n"
        "timeout = c.execute('PRAGMA busy_timeout').fetchone()[0]\n"
        "print(mode, timeout, connection.transaction_mode)",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]


def test_postgres_url_selects_postgresql():
    result = run_django(
        "from django.conf import settings; d = settings.DATABASES['default']\n"
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/xk",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "xk", "127.0.0.1", "5432"]


def test_production_settings_pass_the_deploy_check():
    result = run_django(
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="xungkich.example",
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("", DEBUG="0", ALLOWED_HOSTS="xungkich.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_vietnamese_is_the_default_and_time_is_ho_chi_minh(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]


def test_task_backend_is_chosen_by_the_environment():
    code = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    assert run_django(code, TASKS_BACKEND="rq").stdout.strip() == "django_tasks_rq.RQBackend"
    assert run_django(code, TASKS_BACKEND="database").stdout.strip() == "django_tasks_db.DatabaseBackend"
    wrong = run_django(code, TASKS_BACKEND="celery")
    assert wrong.returncode != 0
    assert "TASKS_BACKEND must be one of" in wrong.stderr
