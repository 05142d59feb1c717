"""Which kind of meeting an item is, and its code, from what the source says.

The kind drives who is expected at a meeting (audiences) and how severe its
clashes are, so a harvested item must not be a "governing body" only because
nothing said otherwise. The rule, first match wins:

1. a *hint* from the source (an iCalendar CATEGORY, InforMEA's ``type``)
   that is a kind's name, or a word in :data:`HINT_WORDS` ("MOP", "Webinar");
2. a *phrase* in the title (:data:`PHRASES`): "Standing Committee",
   "Scientific Council", "Conference of the Parties", "workshop",
   "webinar", "side event", ... (a title says more than a code: the IWC's
   SC70 is its Scientific Committee, "COP17 workshop" a workshop);
3. a well-known *code* in the code, then the title (:data:`CODES`):
   ``COP17``, ``CoP20``, ``CP-MOP 12``, ``MOP``, ``CPM-21`` and ``GB-11`` are
   governing bodies; ``SBSTTA-28``, ``SBI-7``, ``AC34``, ``PC27`` and ``ScC``
   subsidiary bodies; ``SC81`` and ``StC`` standing committees;
4. else the source's default kind.

:func:`code_in` finds the code a title carries ("CITES SC81: ..." gives
``SC81``), normalised the way secretariats write it.
"""

from __future__ import annotations

import re

from blgcal.domain.types import Kind

G, S, C, W = Kind.GOVERNING_BODY, Kind.SUBSIDIARY_BODY, Kind.STANDING_COMMITTEE, Kind.WORKING_GROUP

# (pattern, kind, how to write the code): the pattern's groups are the name and the number.
# A kind of None is looked up by the name in SHORT.
CODES: tuple[tuple[str, Kind | None, str], ...] = (
    (r"(CP|NP)[- ]?MOP[- ]?(\d+)", G, "{0}-MOP {1}"),
    (r"(SBSTTA|SBI|SBSTA)[- ]?0*(\d+)", S, "{0}-{1}"),
    (r"(CPM|GB)[- ]0*(\d+)", G, "{0}-{1}"),
    (r"(CoP|COP|CMP|CMA|MOP)[- ]?0*(\d+)", G, "{0}{1}"),
    (r"(StC|ScC|SC|AC|PC)[- ]?0*(\d+)", None, "{0}{1}"),
    (r"(StC|ScC|MOP)()", None, "{0}"),
)
SHORT = {"StC": C, "SC": C, "ScC": S, "AC": S, "PC": S, "MOP": G}
COMPILED = tuple((re.compile(rf"(?<![A-Za-z0-9-])(?:{pattern})(?![A-Za-z0-9])"), kind, form)
                 for pattern, kind, form in CODES)
PHRASES: tuple[tuple[str, Kind], ...] = (
    ("side event", Kind.SIDE_EVENT),
    ("webinar", Kind.WEBINAR),
    ("standing committee", C),
    ("bureau", C),
    ("scientific council", S), ("scientific committee", S), ("subsidiary body", S),
    ("animals committee", S), ("plants committee", S), ("technical committee", S),
    ("scientific and technical review panel", S), ("compliance committee", S),
    ("advisory committee", S), ("liaison group", W),
    ("conference of the parties", G), ("meeting of the parties", G), ("governing body", G),
    ("commission on phytosanitary measures", G), ("general assembly", G),
    ("world heritage committee", G), ("plenary", G),
    ("working group", W), ("expert group", W), ("workshop", W), ("expert meeting", W),
    ("consultation", W), ("dialogue", W), ("training", W),
    ("congress", Kind.CONFERENCE), ("summit", Kind.CONFERENCE), ("conference", Kind.CONFERENCE),
    ("symposium", Kind.CONFERENCE), ("forum", Kind.CONFERENCE),
)
HINT_WORDS = {"cop": G, "mop": G, "governing": G, "session": G, "subsidiary": S, "scientific": S,
              "standing": C, "working": W, "workshop": W, "expert": W, "conference": Kind.CONFERENCE,
              "webinar": Kind.WEBINAR, "side": Kind.SIDE_EVENT}


def kind_of(*, code: str = "", title: str = "", hint: str = "",
            default: Kind = Kind.GOVERNING_BODY) -> Kind:
    """The kind of an item by the rule above."""
    return _from_hint(hint) or _from_phrase(title) or _from_code(code) or _from_code(title) \
        or default


def code_in(text: str) -> str | None:
    """The first well-known code in *text*, written the usual way ("SBSTTA-28", "CoP20")."""
    found = _first_code(text)
    return found[1] if found else None


def _from_hint(hint: str) -> Kind | None:
    slug = hint.strip().lower().replace(" ", "_").replace("-", "_")
    if slug in Kind._value2member_map_:
        return Kind(slug)
    words = re.findall(r"[a-z]+", hint.lower())
    return next((HINT_WORDS[word] for word in words if word in HINT_WORDS), None)


def _from_code(text: str) -> Kind | None:
    found = _first_code(text)
    return found[0] if found else None


def _first_code(text: str) -> tuple[Kind, str] | None:
    best: tuple[int, Kind, str] | None = None
    for pattern, kind, form in COMPILED:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            name, number = match.group(1), match.group(2) or ""
            if name == "COP" and not number:
                continue
            best = (match.start(), kind or SHORT[name], form.format(name, number))
    return (best[1], best[2]) if best else None


def _from_phrase(title: str) -> Kind | None:
    lowered = " ".join(title.lower().split())
    return next((kind for phrase, kind in PHRASES if phrase in lowered), None)
