"""Write the audit trail, and read an event's history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from blgcal.models import Event, Revision


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change and through what: ``form``, ``api``, ``cli``, ``harvest``, ``seed``."""

    label: str
    via: str
    user_id: int | None = None


SEED = Actor("blgcal init (shipped data)", "seed")


def record(session: Session, row: Event, *, action: str, actor: Actor, now: datetime,
           changes: dict[str, Any], state: dict[str, Any]) -> Revision:
    """Append one revision for *row*. Revisions are only ever added."""
    revision = Revision(**revision_values(row.id, row.uid, action=action, actor=actor, now=now,
                                          changes=changes, state=state))
    session.add(revision)
    return revision


def revision_values(event_id: int, event_uid: str, *, action: str, actor: Actor, now: datetime,
                    changes: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    """The columns of one revision: for :func:`record`, and for bulk inserts of many."""
    return {"event_id": event_id, "event_uid": event_uid, "action": action, "via": actor.via,
            "actor_id": actor.user_id, "actor_label": actor.label, "changes": changes,
            "snapshot": state, "created_dt": now}


def revisions(session: Session, event_id: int) -> Sequence[Revision]:
    """The event's revisions, newest first."""
    query = select(Revision).where(Revision.event_id == event_id)
    return session.scalars(query.order_by(Revision.id.desc())).all()


def latest_revision_id(session: Session, event_id: int) -> int | None:
    """The id of the event's newest revision (what an editor starts from)."""
    return session.scalar(select(func.max(Revision.id)).where(Revision.event_id == event_id))
