"""The baseline of ``bench/load.py``: a Flask app with one trivial route.

Served by the same gunicorn settings as blgcal in the same run, so every
figure of the load benchmark is printed as a ratio to what Flask and gunicorn
cost on their own on this machine at that moment.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
@app.get("/healthz")
def ok() -> str:
    return "ok\n"
