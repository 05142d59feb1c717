"""SQLAlchemy models: one declarative base, typed columns, no Flask."""

from blgcal.models.accounts import User, UserBody
from blgcal.models.base import Base
from blgcal.models.calendar import Body, Event, EventBody, EventTag, Observance
from blgcal.models.feeds import PrivateFeed
from blgcal.models.harvest import HarvestLock, HarvestRun, PossibleDuplicate, Provenance, Source
from blgcal.models.history import Revision
from blgcal.models.planning import ClashAck, CommsPlanItem

__all__ = ["Base", "Body", "ClashAck", "CommsPlanItem", "Event", "EventBody", "EventTag", "HarvestLock",
           "HarvestRun",
           "Observance", "PossibleDuplicate", "PrivateFeed", "Provenance", "Revision", "Source", "User",
           "UserBody"]
