"""Configuration: defaults, then instance/config.py, then BLGCAL_* variables."""

from pathlib import Path

import pytest

from blgcal import cli, create_app
from blgcal.config import INSECURE_SECRET


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
        create_app({"TESTING": False, "SECRET_KEY": secret})


def test_a_real_secret_key_lets_the_app_start_with_secure_cookies() -> None:
    app = create_app({"TESTING": False, "SECRET_KEY": "k" * 40})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_local_development_allows_plain_http_cookies() -> None:
    app = create_app({"TESTING": False, "SECRET_KEY": "k" * 40, "LOCAL_DEVELOPMENT": True})
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_a_fresh_checkout_gets_a_random_local_secret_once(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BLGCAL_SECRET_KEY", raising=False)
    cli.ensure_local_config(str(tmp_path))
    written = (tmp_path / "config.py").read_text()
    cli.ensure_local_config(str(tmp_path))
    assert (tmp_path / "config.py").read_text() == written
    namespace: dict[str, object] = {}
    exec(written, namespace)  # noqa: S102 - our own generated file
    assert len(str(namespace["SECRET_KEY"])) == 64 and namespace["LOCAL_DEVELOPMENT"] is True
    assert (tmp_path / "config.py").stat().st_mode & 0o077 == 0


def test_with_a_secret_in_the_environment_no_file_is_written(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLGCAL_SECRET_KEY", "k" * 40)
    cli.ensure_local_config(str(tmp_path))
    assert not (tmp_path / "config.py").exists()
