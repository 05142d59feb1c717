"""The domain package is pure: importing all of it loads neither Flask nor SQLAlchemy."""

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import blgcal.domain as domain
names = [m.name for m in pkgutil.walk_packages(domain.__path__, 'blgcal.domain.')]
for name in names:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy', 'werkzeug'})
print(len(names), leaked)
"""


def test_importing_every_domain_module_loads_neither_flask_nor_sqlalchemy() -> None:
    output = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            check=True).stdout.split(" ", 1)
    assert int(output[0]) >= 8, "the walk found too few modules to mean anything"
    assert output[1].strip() == "[]"
