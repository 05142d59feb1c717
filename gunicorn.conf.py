"""gunicorn settings read from the working directory (``gunicorn wsgi:app``).

Only one thing here: the access log never shows a private feed's token.
Pass ``--access-logfile -`` (or set ``accesslog``) to turn the access log on.
"""

from gunicorn.glogging import Logger

from blgcal.web.feed_http import mask_tokens


class MaskingLogger(Logger):
    """gunicorn's logger with private feed tokens masked in every access log atom."""

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        found = super().atoms(resp, req, environ, request_time)
        return {key: mask_tokens(value) if isinstance(value, str) else value
                for key, value in found.items()}


logger_class = MaskingLogger
