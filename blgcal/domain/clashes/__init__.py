"""Clashes: events that cannot both be attended or should not coincide.

Default rules (the fields of :class:`ClashRules`), one module each:

- **overlap**: two meetings of different bodies whose local days intersect
  (:meth:`Event.local_days`) and whose audiences intersect
  (:mod:`blgcal.domain.audience`). Two timed meetings are compared as
  half-open UTC spans instead, so one ending at 12:00 and one starting at
  12:00 do not clash; back-to-back all-day meetings (one ends the day before
  the next starts) never share a day. Meetings sharing any organising body
  (parallel sessions) and an event inside its parent (``parent_id``) are not
  clashes. Severity ``block`` when both are governing bodies, else ``warn``.
- **travel**: two meetings sharing an audience, in different cities, with
  fewer free days between them than the journey needs. The journey needs 0
  days under 1,000 km, 1 day under 5,000 km, else 2, plus 1 when the clocks
  move 6 hours or more. Severity ``warn``.
- **unknown_city**: a meeting whose city cannot be located (see
  :mod:`blgcal.domain.geo`) is not guessed: one ``info`` clash per unknown
  city names the meetings whose travel was not checked.
- **holiday**: a meeting day that is a public holiday in the venue's country,
  one clash per meeting naming each holiday. ``warn`` when the holiday is the
  opening day (ministers and opening statements), else ``info``.
- **side_event**: timed side events of one parent meeting whose half-open
  spans overlap and that share an organising body (``warn``) or a room, the
  same ``venue`` (``block``).
- **crowded**: each event takes part in at most ``max_per_event`` (4) pairwise
  clashes of one kind (overlap, travel, side_event), taken in date order; the
  rest are summed up in one ``warn`` clash per event, by kind. Real calendars
  stay far below the cap; it keeps dense synthetic calendars from producing
  millions of pairs.

Each rule lives in its module (``overlap``, ``travel`` with
``unknown_city``, ``holiday``, ``side_events``, ``crowding``); ``items``
reduces each event once to the integers the rules compare, ``model`` holds
the public types and ``find`` runs the rules. A :class:`Clash` stores the
facts its rule found and words its ``explanation`` only when it is read.

Undated, cancelled and postponed events never clash (a postponed event's
dates are no longer true). With ``today``, events that ended before it are
left out.
"""

from __future__ import annotations

from blgcal.domain.clashes.find import find_clashes
from blgcal.domain.clashes.model import Clash, ClashKind, ClashRules, Severity

__all__ = ["Clash", "ClashKind", "ClashRules", "Severity", "find_clashes"]
