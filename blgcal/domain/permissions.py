"""Who may do what: roles, and which bodies an editor keeps.

| role     | may                                                                          |
|----------|------------------------------------------------------------------------------|
| admin    | everything: users, sources, every event, purge the trash                     |
| editor   | create, edit, cancel, delete and restore events their bodies organise, and   |
|          | acknowledge clashes that involve those bodies                                |
| comms    | comms plan items, acknowledging clashes; sees staff-only events              |
| viewer   | sees staff-only events and the comms plan, keeps private feeds               |
| (anyone) | public pages and public feeds                                                |

Every signed-in account is staff: it sees staff-only events and reads the
comms plan (an internal work plan), and may keep a private feed of either.

A joint event is editable by an editor of any one of its organisers.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass


class Role(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    COMMS = "comms"
    VIEWER = "viewer"


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in person as policy sees them (None for anonymous visitors)."""

    role: Role
    bodies: frozenset[str] = frozenset()


def can_see_staff_events(who: Principal | None) -> bool:
    return who is not None


def may_see_event(sees_staff: bool, *, visibility: str, deleted: bool) -> bool:
    """Whether a visitor sees an event: never a deleted one, a staff-only one only as staff.

    The one rule for pages, the API and lists (``services.queries.visible`` is
    its SQL); a hidden event is hidden in full, as a parent of another too.
    """
    return not deleted and (sees_staff or visibility == "public")


def can_edit_bodies(who: Principal | None, bodies: Collection[str]) -> bool:
    """Whether *who* may change an event organised by *bodies*."""
    if who is None:
        return False
    if who.role is Role.ADMIN:
        return True
    return who.role is Role.EDITOR and bool(who.bodies & set(bodies))


def can_create(who: Principal | None) -> bool:
    return who is not None and (who.role is Role.ADMIN or
                                (who.role is Role.EDITOR and bool(who.bodies)))


def editable_bodies(who: Principal | None, all_bodies: Collection[str]) -> frozenset[str]:
    """The bodies *who* may name as organisers of an event they save."""
    if who is None:
        return frozenset()
    if who.role is Role.ADMIN:
        return frozenset(all_bodies)
    return who.bodies if who.role is Role.EDITOR else frozenset()


def is_admin(who: Principal | None) -> bool:
    return who is not None and who.role is Role.ADMIN


def can_see_comms_plan(who: Principal | None) -> bool:
    """Whether *who* may read the comms plan and keep its feed: signed-in staff."""
    return who is not None


def can_plan_comms(who: Principal | None) -> bool:
    return who is not None and who.role in {Role.ADMIN, Role.COMMS}


def can_acknowledge(who: Principal | None, bodies: Collection[str]) -> bool:
    """Whether *who* may accept a clash between events of *bodies*."""
    return can_plan_comms(who) or can_edit_bodies(who, bodies)
