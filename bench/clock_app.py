"""blgcal for ``bench/faults.py``'s clock jump: "today" is read from a file on every request.

``BENCH_TODAY_FILE`` names the file; writing another ISO date to it moves the
clock of every running worker at once, as a wall clock that jumps would. It is
read in front of everything, the feed replay included.
"""

import os
from pathlib import Path

from blgcal import create_app


def make_wsgi():  # type: ignore[no-untyped-def]
    app = create_app()
    today_file = Path(os.environ["BENCH_TODAY_FILE"])
    inner = app.wsgi_app

    def clocked(environ, start_response):  # type: ignore[no-untyped-def]
        app.config["TODAY"] = today_file.read_text().strip()
        return inner(environ, start_response)

    app.wsgi_app = clocked  # type: ignore[method-assign]
    return app
