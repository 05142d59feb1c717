"""Private feeds: a saved filter behind a secret, revocable address."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blgcal.models.base import Base, UTCDateTime


class PrivateFeed(Base):
    """A user's saved filter, served at ``/feeds/private/<token>.ics``.

    Only the SHA-256 of the token is stored: a copy of the database does not
    reveal working addresses. Regenerating replaces the hash (the old address
    dies at once); revoking sets ``revoked_dt``. ``content`` says what the
    feed holds: ``events`` (``filters`` holds the query parameters as lists of
    strings, read with the shared filter vocabulary) or ``comms`` (the comms
    plan, for staff who may see it; ``filters`` is empty).
    """

    __tablename__ = "private_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(120))
    content: Mapped[str] = mapped_column(String(16), default="events", server_default="events")
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
