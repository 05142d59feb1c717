"""Configuration: defaults, then instance/config.py, then BLGCAL_* variables."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from blgcal import create_app
from blgcal.app import ConfigurationError
from blgcal.cli import setup as cli
from blgcal.config import INSECURE_SECRET, defaults


def test_without_configuration_the_app_runs_on_sqlite_in_the_instance_folder() -> None:
    app = create_app({"TESTING": True})
    assert app.config["DATABASE_URL"] == f"sqlite:///{Path(app.instance_path) / 'blgcal.sqlite3'}"


def test_prefixed_environment_variables_override_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLGCAL_DATABASE_URL", "sqlite:////tmp/elsewhere.sqlite3")
    monkeypatch.setenv("BLGCAL_PER_PAGE", "20")
    app = create_app({"TESTING": True})
    assert app.config["DATABASE_URL"] == "sqlite:////tmp/elsewhere.sqlite3"
    assert app.config["PER_PAGE"] == 20


@pytest.mark.parametrize("secret", [INSECURE_SECRET, "short", ""])
def test_outside_tests_a_guessable_secret_key_stops_the_app(secret: str) -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"TESTING": False, "SECRET_KEY": secret, "BASE_URL": "https://cal.blg.int"})


def test_a_real_secret_key_lets_the_app_start_with_secure_cookies() -> None:
    app = create_app({"TESTING": False, "SECRET_KEY": "k" * 40, "BASE_URL": "https://cal.blg.int"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("base_url", [None, "", "calendar.blg.int", "https://", "javascript:alert(1)"])
def test_outside_tests_the_public_address_must_be_configured(base_url: str | None) -> None:
    with pytest.raises(ConfigurationError, match="BASE_URL is missing"):
        create_app({"TESTING": False, "SECRET_KEY": "k" * 40, "BASE_URL": base_url})


def test_local_development_allows_plain_http_cookies() -> None:
    app = create_app({"TESTING": False, "SECRET_KEY": "k" * 40, "LOCAL_DEVELOPMENT": True})
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_a_fresh_checkout_gets_a_random_local_secret_once(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for name in cli.DEPLOYMENT_MARKERS:
        monkeypatch.delenv(name, raising=False)
    cli.ensure_local_config(str(tmp_path), "init")
    written = (tmp_path / "config.py").read_text()
    cli.ensure_local_config(str(tmp_path), "run")
    assert (tmp_path / "config.py").read_text() == written
    namespace: dict[str, object] = {}
    exec(written, namespace)  # noqa: S102 - our own generated file
    assert len(str(namespace["SECRET_KEY"])) == 64 and namespace["LOCAL_DEVELOPMENT"] is True
    assert (tmp_path / "config.py").stat().st_mode & 0o077 == 0


def test_with_a_secret_in_the_environment_no_file_is_written(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLGCAL_SECRET_KEY", "k" * 40)
    cli.ensure_local_config(str(tmp_path), "init")
    assert not (tmp_path / "config.py").exists()


@pytest.mark.parametrize("command", ["harvest", "clashes", "import", "backup", "user", None])
def test_only_init_and_run_write_the_local_configuration(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str | None) -> None:
    for name in cli.DEPLOYMENT_MARKERS:
        monkeypatch.delenv(name, raising=False)
    cli.ensure_local_config(str(tmp_path), command)
    assert not (tmp_path / "config.py").exists(), "a cron job must not turn on plain-http cookies"


@pytest.mark.parametrize("marker, value", [
    ("BLGCAL_DATABASE_URL", "postgresql+psycopg://db.example/blgcal"),
    ("BLGCAL_PRODUCTION", "1"),
])
def test_no_local_configuration_where_a_deployment_is_configured(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: str, value: str) -> None:
    for name in cli.DEPLOYMENT_MARKERS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(marker, value)
    cli.ensure_local_config(str(tmp_path), "init")
    assert not (tmp_path / "config.py").exists()


def test_the_console_script_writes_nothing_for_a_cron_command(tmp_path: Path) -> None:
    """``blgcal harvest`` without a secret key refuses to start instead of writing a file."""
    instance = Path(Flask("blgcal", instance_relative_config=True).instance_path)
    if (instance / "config.py").exists():
        pytest.skip("this checkout already has its local configuration")
    env = {k: v for k, v in os.environ.items() if k not in cli.DEPLOYMENT_MARKERS}
    result = subprocess.run([sys.executable, "-c", "from blgcal.cli import main; main()", "harvest"],
                            env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert not (instance / "config.py").exists()
    assert result.returncode == 2 and result.stderr.startswith("Error: SECRET_KEY")
    assert "Traceback" not in result.stderr


def test_the_instance_folder_ships_its_readme_and_an_example_that_names_real_keys() -> None:
    folder = Path(__file__).resolve().parents[1] / "instance"
    assert (folder / "README.md").is_file()
    example = (folder / "config.example.py").read_text(encoding="utf-8")
    exec(compile(example, "config.example.py", "exec"), {})  # noqa: S102 - our own file
    named = set(re.findall(r"^#? ?([A-Z][A-Z_]+) = ", example, flags=re.MULTILINE))
    assert named and named <= set(defaults("/tmp")) | {"SECRET_KEY"}, named - set(defaults("/tmp"))
