import os
import shutil
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "SECRET_KEY": "x7!Qm2#vR9@pL4$wZ8^kN1&bT6*hJ3(cF5)dS0_gY-eU+aI=oP~rE",
    "ALLOWED_HOSTS": "schedule.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://schedule.example.org",
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", env={**PRODUCTION, "ALLOWED_HOSTS": ""})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def import_settings_from_a_copy(tmp_path, **env):
    """Import config.settings from a copy of the project package, whose BASE_DIR is tmp_path."""
    shutil.copytree(
        settings.BASE_DIR / "config",
        tmp_path / "config",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    return subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.SECRET_KEY)"],
        cwd=tmp_path,
        env={**environment, "PYTHONPATH": str(tmp_path), "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_development_without_a_key_says_how_to_get_one_and_writes_nothing(tmp_path):
    result = import_settings_from_a_copy(tmp_path)

    assert result.returncode == 1
    assert "run `make run`" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["config"]


def test_development_reads_the_key_that_make_run_keeps(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "development-secret-key").write_text("a-key-of-this-checkout\n")

    result = import_settings_from_a_copy(tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a-key-of-this-checkout"
