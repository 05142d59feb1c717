"""Stable identifiers: event UIDs that never change once given (RFC 5545 3.8.4.7)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid

UID_DOMAIN = "blgcal"
#: The largest id a database row can have: ``event.id`` and the others are INTEGER, which is
#: 32 bits on PostgreSQL (SQLite's 64 bits are wider), so a larger number is no row anywhere.
MAX_ID = 2**31 - 1


def row_id(text: str) -> int | None:
    """*text* as the id of a row, or None: ASCII digits only (``"²".isdigit()`` is true), 1 to MAX_ID."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def slugify(text: str, *, limit: int = 60) -> str:
    """Lower-case ASCII words joined by hyphens: ``CITES CoP20`` -> ``cites-cop20``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit] or "item"


def stable_uid(namespace: str, key: str) -> str:
    """A UID derived from *key*: the same key always gives the same UID."""
    digest = hashlib.sha256(f"{namespace}\0{key}".encode()).hexdigest()[:10]
    return f"{namespace}-{slugify(key, limit=40)}-{digest}@{UID_DOMAIN}"


def new_uid() -> str:
    """A fresh random UID for an event created in blgcal."""
    return f"{uuid.uuid4()}@{UID_DOMAIN}"
