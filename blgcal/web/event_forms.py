"""What the event form's views share: pickers, checks, the event to save, conflicts."""

from __future__ import annotations

from dataclasses import dataclass

from blgcal.db import get_session
from blgcal.domain.edits import Difference, apply_edits, differences
from blgcal.domain.ids import new_uid, row_id
from blgcal.domain.permissions import editable_bodies, is_admin
from blgcal.domain.places import country_choices, zone_names
from blgcal.domain.types import Event as EventData
from blgcal.domain.validation import side_event_problem
from blgcal.models import Event, Revision
from blgcal.services import history, queries
from blgcal.services.event_rows import to_domain
from blgcal.services.events import state_after
from blgcal.web.auth import principal
from blgcal.web.forms import EventForm, as_shown, blank_event_form, options, submitted_pairs


def zone_names_sorted() -> list[str]:
    return sorted(zone_names())


def prepare(form: EventForm, row: Event | None) -> None:
    """Fill the pickers: the bodies this person may name, meetings, countries."""
    session = get_session()
    allowed = editable_bodies(principal(), queries.body_slugs(session))
    current = set(row.bodies) if row else set()
    names = {body.slug: body.short_name for body in queries.bodies(session)}
    form.bodies.choices = options((slug, names[slug]) for slug in names if slug in allowed | current)
    form.parent_id.choices = options([("", "None")] + [
        (str(event.id), f"{event.code or event.title} ({event.start_date or event.start_dt:%Y-%m-%d})")
        for event in queries.parent_candidates(session) if not row or event.id != row.id])
    form.country.choices = options([("", "Unknown or online"), *country_choices()])


def start_side_event(form: EventForm, parent_id: str) -> None:
    """Pre-fill a new side event of the meeting *parent_id* (ignored if it is none)."""
    parent = get_session().get(Event, wanted) if (wanted := row_id(parent_id)) else None
    if parent is None or parent.deleted_dt or not parent.kind.is_meeting:
        return
    allowed = editable_bodies(principal(), queries.body_slugs(get_session()))
    form.fill_side_event(to_domain(parent), [slug for slug in parent.bodies if slug in allowed])


def candidate(form: EventForm, row: Event | None) -> EventData:
    """The event the form would save: a new one, or the stored one with the person's edits.

    Only the fields the person changed are taken (``domain.edits``): a field
    the form does not show, or shows lossily, keeps its stored value.
    """
    if row is None:
        return form.to_event(uid=new_uid())
    stored = to_domain(row)
    return apply_edits(stored, as_shown(stored), form.to_event(uid=row.uid))


def checked(form: EventForm, row: Event | None, event: EventData) -> bool:
    """The checks that need the database: bodies this person may name, the parent's dates."""
    who = principal()
    before = set(row.bodies) if row else set()
    allowed = editable_bodies(who, queries.body_slugs(get_session()))
    added = set(form.bodies.data or ()) - before
    if added - allowed or not (set(form.bodies.data or ()) & allowed or is_admin(who)):
        form.bodies.errors = list(form.bodies.errors) + [
            "You can only name bodies you edit for, and must keep at least one of them."]
        return False
    parent = get_session().get(Event, event.parent_id) if event.parent_id else None
    problem = side_event_problem(event, to_domain(parent) if parent else None)
    if problem:
        form.parent_id.errors = list(form.parent_id.errors) + [problem]
        return False
    return True


def mark_seen(form: EventForm, row: Event) -> None:
    """Remember the version and the newest revision the person is shown."""
    form.version.data = str(row.version)
    form.seen.data = str(history.latest_revision_id(get_session(), row.id) or "")


@dataclass(frozen=True, slots=True)
class Conflict:
    """A stale edit: what differs, and the form data that re-applies the person's changes."""

    rows: list[Difference]
    found_known: bool
    reapply: list[tuple[str, str]]


def conflict(form: EventForm, row: Event) -> Conflict:
    """Compare the stale edit with what is stored now; prepare re-applying it on top."""
    stored = to_domain(row)
    found = found_event(row, form.seen.data or "")
    shown, submitted = as_shown(found or stored), form.to_event(uid=row.uid)
    merged = apply_edits(stored, shown, submitted)
    again = blank_event_form()
    again.fill_from(merged)
    mark_seen(again, row)
    return Conflict(differences(found, stored, shown, submitted), found is not None,
                    submitted_pairs(again))


def found_event(row: Event, seen: str) -> EventData | None:
    """The event as it was after revision *seen* (the one the form was shown at)."""
    revision = get_session().get(Revision, wanted) if (wanted := row_id(seen)) else None
    if revision is None or revision.event_id != row.id:
        return None
    return state_after(revision, row)
