"""SQLAlchemy models: one declarative base, typed columns, no Flask."""

from blgcal.db import Base
from blgcal.models.accounts import User, UserBody
from blgcal.models.calendar import Body, Event, EventBody, EventTag, Observance
from blgcal.models.history import Revision

__all__ = ["Base", "Body", "Event", "EventBody", "EventTag", "Observance", "Revision", "User",
           "UserBody"]
