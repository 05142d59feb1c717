"""Who attends what: the audience each event needs.

How explanations name events and audiences is :mod:`blgcal.domain.wording`.

Each event's audience is the default for its kind (table below) plus any
explicit ``event.audience`` tags, normalised to snake case ("heads of
secretariat" and "heads-of-secretariat" both become
``heads_of_secretariat``).

Default audiences by kind:

=====================  ==================================================
kind                   audience
=====================  ==================================================
governing_body         heads_of_secretariat, national_focal_points
subsidiary_body        scientific_focal_points
standing_committee     heads_of_secretariat, bureau_members
working_group          technical_experts
conference             heads_of_secretariat
blg_meeting            heads_of_secretariat
side_event             (none: only explicit tags)
webinar                (none: only explicit tags)
comms_moment           (none: only explicit tags)
=====================  ==================================================

Subsidiary bodies are attended by scientific and technical delegates rather
than the heads of delegation who go to a conference of the parties, so a
subsidiary body beside another body's COP is not a clash by default; tag the
event with ``national_focal_points`` when it is.
"""

from __future__ import annotations

from blgcal.domain.types import Event, Kind

HEADS = "heads_of_secretariat"
NATIONAL = "national_focal_points"
SCIENTIFIC = "scientific_focal_points"
BUREAU = "bureau_members"
EXPERTS = "technical_experts"

DEFAULT_AUDIENCE: dict[Kind, frozenset[str]] = {
    Kind.GOVERNING_BODY: frozenset({HEADS, NATIONAL}),
    Kind.SUBSIDIARY_BODY: frozenset({SCIENTIFIC}),
    Kind.STANDING_COMMITTEE: frozenset({HEADS, BUREAU}),
    Kind.WORKING_GROUP: frozenset({EXPERTS}),
    Kind.CONFERENCE: frozenset({HEADS}),
    Kind.BLG_MEETING: frozenset({HEADS}),
    Kind.SIDE_EVENT: frozenset(),
    Kind.WEBINAR: frozenset(),
    Kind.COMMS_MOMENT: frozenset(),
}


def normalise_tag(tag: str) -> str:
    """Fold case, spaces and hyphens so tags written by hand compare equal."""
    return "_".join(tag.strip().lower().replace("-", " ").split())


def audience_of(event: Event) -> frozenset[str]:
    """The default audience for the event's kind plus its explicit tags."""
    if not event.audience:
        return DEFAULT_AUDIENCE[event.kind]
    extra = {normalise_tag(tag) for tag in event.audience if tag.strip()}
    return DEFAULT_AUDIENCE[event.kind] | extra
