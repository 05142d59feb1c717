"""Private feeds: create, find by token, revoke, regenerate.

A token is 192 random bits from :mod:`secrets` (32 URL-safe characters). Only
its SHA-256 is stored; a request's token is hashed and looked up by that hash
and the hashes are compared again with :func:`hmac.compare_digest`, so
neither the database nor response timing reveals a working address. Unknown,
altered and revoked tokens (and tokens of deactivated accounts) all read as
"not found".
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from blgcal.domain.feeds import FeedKind, FeedRequest
from blgcal.domain.permissions import Principal, Role, can_see_comms_plan, can_see_staff_events
from blgcal.models import User
from blgcal.models.accounts import UserBody
from blgcal.models.feeds import PrivateFeed

TOKEN_BYTES = 24
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}$")
# What a private feed holds: the events of a saved filter, or the comms plan.
EVENTS, COMMS_PLAN = "events", "comms"
CONTENTS = (EVENTS, COMMS_PLAN)
# Recording every poll would be a write per request; an hour's precision is enough.
LAST_USED_PRECISION = timedelta(hours=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token and its hash."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def create(session: Session, user: User, *, name: str, filters: Mapping[str, Sequence[str]],
           now: datetime, content: str = EVENTS) -> tuple[PrivateFeed, str]:
    """Save a private feed for *user*; return it and its token (shown once, never stored).

    A comms plan feed (*content* ``comms``) keeps no filters.
    """
    if content not in CONTENTS:
        raise ValueError(f"a private feed holds one of {', '.join(CONTENTS)}, not {content!r}")
    token, hashed = new_token()
    kept = {k: list(v) for k, v in filters.items() if v} if content == EVENTS else {}
    feed = PrivateFeed(user_id=user.id, name=name.strip()[:120] or "My feed", content=content,
                       filters=kept, token_hash=hashed, created_dt=now)
    session.add(feed)
    session.flush()
    return feed, token


def regenerate(feed: PrivateFeed) -> str:
    """Give *feed* a new token: the old address stops working at once."""
    token, feed.token_hash = new_token()
    return token


def revoke(feed: PrivateFeed, *, now: datetime) -> None:
    feed.revoked_dt = now


def owned(session: Session, user: User, feed_id: int) -> PrivateFeed | None:
    """*user*'s live feed *feed_id*, or None (another user's feed reads as missing)."""
    feed = session.get(PrivateFeed, feed_id)
    if feed is None or feed.user_id != user.id or feed.revoked_dt is not None:
        return None
    return feed


def feeds_of(session: Session, user: User) -> Sequence[PrivateFeed]:
    query = select(PrivateFeed).where(PrivateFeed.user_id == user.id,
                                      PrivateFeed.revoked_dt.is_(None))
    return session.scalars(query.order_by(PrivateFeed.created_dt, PrivateFeed.id)).all()


@dataclass(frozen=True, slots=True)
class Subscription:
    """What serving a private feed needs to know: the feed, and who owns it."""

    id: int
    name: str
    content: str
    filters: Mapping[str, Sequence[str]]
    last_used_dt: datetime | None
    owner: Principal


_BY_HASH = (select(PrivateFeed.id, PrivateFeed.name, PrivateFeed.content, PrivateFeed.filters,
                   PrivateFeed.last_used_dt, PrivateFeed.token_hash, User.role, UserBody.body_slug)
            .join(User, User.id == PrivateFeed.user_id)
            .outerjoin(UserBody, UserBody.user_id == User.id)
            .where(PrivateFeed.token_hash == bindparam("hashed"), PrivateFeed.revoked_dt.is_(None),
                   User.active.is_(True)))


def by_token(session: Session | Connection, token: str) -> Subscription | None:
    """The live feed *token* opens and its owner, or None for any other token.

    One query of one index lookup, with no ORM objects: every poll of every
    subscribed calendar runs it, so a revoked or regenerated token stops
    working on every worker at once.
    """
    if not TOKEN_SHAPE.match(token):
        return None
    hashed = token_hash(token)
    rows = session.execute(_BY_HASH, {"hashed": hashed}).all()
    if not rows or not hmac.compare_digest(rows[0].token_hash, hashed):
        return None
    first = rows[0]
    bodies = frozenset(row.body_slug for row in rows if row.body_slug is not None)
    return Subscription(first.id, first.name, first.content, first.filters, first.last_used_dt,
                        Principal(Role(first.role), bodies))


def request_for(feed: Subscription) -> FeedRequest:
    """The feed *feed*'s token opens: its saved filter or the comms plan, as its owner sees it."""
    if feed.content == COMMS_PLAN:
        return FeedRequest(FeedKind.COMMS_PLAN, str(feed.id), name=feed.name)
    return FeedRequest(FeedKind.PRIVATE, str(feed.id), params=feed.filters, name=feed.name,
                       include_staff=can_see_staff_events(feed.owner))


def may_serve(feed: Subscription) -> bool:
    """Whether the owner may still read what *feed* holds (the comms plan is for staff)."""
    return feed.content != COMMS_PLAN or can_see_comms_plan(feed.owner)


def due_touch(feed: Subscription, *, now: datetime) -> bool:
    """Whether fetching *feed* now must record its use (at most once an hour)."""
    return feed.last_used_dt is None or now - feed.last_used_dt >= LAST_USED_PRECISION


def touch(session: Session, feed: Subscription, *, now: datetime) -> bool:
    """Record that the feed was fetched, at most once per hour; whether it wrote."""
    if not due_touch(feed, now=now):
        return False
    session.execute(update(PrivateFeed).where(PrivateFeed.id == feed.id).values(last_used_dt=now))
    return True
