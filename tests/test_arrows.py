"""The arrows the README's architecture promises hold.

The domain imports neither Flask nor SQLAlchemy (``tests/domain/test_purity.py``);
the models and services import no Flask, and no ``blgcal.web``; the command line
imports no ``blgcal.web`` (nor do the jobs); no migration imports application code, so an old
migration runs the same whatever the code of the day does.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "blgcal"

SCRIPT = """
import importlib, pkgutil, sys
import blgcal.models, blgcal.services
names = ['blgcal.models', 'blgcal.migrate', 'blgcal.fetch'] + [
    m.name for package in (blgcal.models, blgcal.services)
    for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.')]
for name in names:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'flask_login', 'flask_wtf'}
                or m.startswith('blgcal.web'))
print(len(names), leaked)
"""


def imported(path: Path) -> set[str]:
    """Every module *path* imports, at any depth of the file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_importing_the_models_and_every_service_loads_no_flask_and_no_web() -> None:
    output = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            check=True, cwd=PACKAGE.parent).stdout.split(" ", 1)
    assert int(output[0]) >= 20, "the walk found too few modules to mean anything"
    assert output[1].strip() == "[]"


@pytest.mark.parametrize("path", sorted((PACKAGE / "migrations" / "versions").glob("*.py")),
                         ids=lambda path: path.name[:20])
def test_no_migration_imports_application_code(path: Path) -> None:
    assert not {name for name in imported(path) if name.split(".")[0] == "blgcal"}


OUTSIDE_WEB = [*sorted((PACKAGE / "cli").glob("*.py")), *sorted((PACKAGE / "jobs").glob("*.py")),
               PACKAGE / "harvesting.py"]


@pytest.mark.parametrize("path", OUTSIDE_WEB, ids=lambda path: path.name)
def test_the_command_line_and_the_jobs_import_no_web(path: Path) -> None:
    """They share the services with the web, never a view: the JSON shapes live in services."""
    assert not {name for name in imported(path) if name.startswith("blgcal.web")}


def test_the_checks_see_an_import_at_any_depth(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def upgrade():\n    from blgcal.services.feeds.pieces import rebuild_pieces\n")
    assert imported(sample) == {"blgcal.services.feeds.pieces"}


def test_the_readmes_architecture_names_every_package() -> None:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    packages = sorted(str(init.parent.relative_to(PACKAGE.parent)) + "/"
                      for init in PACKAGE.rglob("__init__.py") if "migrations" not in init.parts)
    assert [name for name in packages if name != "blgcal/" and name not in section] == []
