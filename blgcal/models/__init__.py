"""SQLAlchemy models: one declarative base, typed columns, no Flask."""

from blgcal.db import Base
from blgcal.models.calendar import Body, Event, EventBody, EventTag, Observance

__all__ = ["Base", "Body", "Event", "EventBody", "EventTag", "Observance"]
