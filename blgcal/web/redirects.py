"""Where ``next`` may send someone after signing in: same-site paths only."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def safe_next(target: str | None, default: str = "/") -> str:
    """*target* when it is a path on this site, else *default*.

    Browsers read ``\\`` as ``/`` and ignore tabs and newlines, so
    ``/\\evil.example``, ``//evil.example`` and encoded forms of them leave the
    site; so does anything with a scheme (``https:evil.example``).
    """
    if not target:
        return default
    for candidate in (target, unquote(target), unquote(unquote(target))):
        if not _is_local_path(candidate):
            return default
    return target


def _is_local_path(value: str) -> bool:
    if any(ord(char) < 32 or char == "\\" for char in value):
        return False
    if not value.startswith("/") or value.startswith("//"):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc
