"""gunicorn settings read from the working directory (``gunicorn wsgi:app``).

The access log never shows a private feed's or a reset link's token. With JSON
logs (``BLGCAL_LOG_FORMAT=json``, the default under ``BLGCAL_PRODUCTION``)
gunicorn's own lines are JSON objects too, like the app's; the app logs each
request itself, so leave gunicorn's access log off there. Elsewhere pass
``--access-logfile -`` (or set ``accesslog``) to turn it on.
"""

import os

from gunicorn.glogging import Logger

from blgcal.logs import JsonFormatter, log_format, mask_secrets


def _environ_config() -> dict[str, object]:
    production = os.environ.get("BLGCAL_PRODUCTION", "").lower() not in {"", "0", "false"}
    return {"LOG_FORMAT": os.environ.get("BLGCAL_LOG_FORMAT"), "PRODUCTION": production}


class MaskingLogger(Logger):
    """gunicorn's logger with tokens masked in every access log atom, in JSON when asked."""

    def setup(self, cfg):  # type: ignore[no-untyped-def]
        super().setup(cfg)
        if log_format(_environ_config()) == "json":
            for handler in (*self.error_log.handlers, *self.access_log.handlers):
                if getattr(handler, "_gunicorn", False):  # its own, not another's
                    handler.setFormatter(JsonFormatter())

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        found = super().atoms(resp, req, environ, request_time)
        return {key: mask_secrets(value) if isinstance(value, str) else value
                for key, value in found.items()}


logger_class = MaskingLogger
# A harvest never runs in a request any more ("Harvest now" queues a job), so the default
# 30-second worker timeout only ever stops a request that is really stuck.
timeout = 30
