"""Hold every harvested item to the event's field rules (:mod:`blgcal.domain.validation`).

Each parser passes the items it builds through :func:`screened` inside its
per-line or per-item check, so an item with an over-long field fails like
any other bad row: the file is rejected whole, every problem named by its
line or item. Text loses its control characters first. An address that is
not http(s) is an error in the meetings CSV (staff's own spreadsheet); in
other organisations' feeds (iCalendar, InforMEA, the CBD's index) it is left
out with a warning, since one sloppy link should not stop a whole calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from blgcal.domain.harvest.records import HarvestedItem
from blgcal.domain.validation import (
    FIELD_LIMITS,
    clean_event,
    clean_text,
    event_problems,
    length_problem,
    source_reference,
    web_url,
)


class FieldProblems(ValueError):
    """What is wrong with one item's fields, all of it in one message."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def screened(item: HarvestedItem, *, strict_urls: bool) -> HarvestedItem:
    """*item* with clean text and only web addresses, or :class:`FieldProblems`.

    The item's page (``source_url``) may also be a citation in words
    (:func:`~blgcal.domain.validation.source_reference`).

    :param strict_urls: refuse a bad address (else leave it out, with a warning).
    """
    event = clean_event(item.event)
    uid = clean_text(item.external_uid)
    page = clean_text(item.source_url).strip() or None if item.source_url else None
    titles = tuple((clean_text(lang), clean_text(text).strip()) for lang, text in item.titles)
    problems = [*event_problems(event), *_beside_problems(uid, page, titles, event.title)]
    warnings = list(item.warnings)
    url = _address("url", event.url, strict_urls, problems, warnings)
    source_url = url if page == event.url else \
        _address("source_url", page, strict_urls, problems, warnings, check=source_reference)
    if problems:
        raise FieldProblems(problems)
    return replace(item, event=replace(event, url=url), external_uid=uid, titles=titles,
                   source_url=source_url, warnings=tuple(warnings))


def _beside_problems(uid: str, page: str | None, titles: tuple[tuple[str, str], ...],
                     title: str) -> list[str]:
    """The lengths of what an item carries beside its event: UID, page, translations."""
    found = [length_problem("uid", uid), length_problem("source_url", page or "")]
    for language, text in titles:
        found.append(length_problem("language", language))
        if text != title:
            found.append(length_problem(f"title ({language or '?'})", text,
                                        limit=FIELD_LIMITS["title"]))
    return [problem for problem in found if problem]


def _address(name: str, value: str | None, strict: bool, problems: list[str],
             warnings: list[str], check: Callable[[str], str] = web_url) -> str | None:
    if not value or len(value) > FIELD_LIMITS[name]:
        return value  # too long is already a problem
    try:
        return check(value)
    except ValueError as exc:
        (problems if strict else warnings).append(f"{name} {exc}" + ("" if strict else "; left out"))
        return None
