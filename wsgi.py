"""Entry point for production servers: ``gunicorn wsgi:app``."""

from blgcal import create_app

app = create_app()
