"""The field rules every entry point shares: clean text, field limits, web addresses."""

import json
import unicodedata
from datetime import date
from xml.dom.minidom import parseString

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blgcal.domain.harvest.records import HarvestedItem
from blgcal.domain.harvest.screen import FieldProblems, screened
from blgcal.domain.types import Event
from blgcal.domain.validation import (
    FIELD_LIMITS,
    clean_event,
    clean_text,
    event_problems,
    printable,
    source_reference,
    web_url,
    xml_text,
)


def is_control(char: str) -> bool:
    """C0, DEL, C1 and surrogates: what no stored text may hold (tab and newline aside)."""
    return unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff"


@given(st.text())
def test_clean_single_line_text_holds_no_control_character_but_tab(text: str) -> None:
    cleaned = clean_text(text)
    assert not [char for char in cleaned if is_control(char) and char != "\t"]
    assert clean_text(cleaned) == cleaned


@given(st.text())
def test_clean_multiline_text_keeps_only_tabs_and_newlines(text: str) -> None:
    cleaned = clean_text(text, multiline=True)
    assert not [char for char in cleaned if is_control(char) and char not in "\t\n"]
    assert clean_text(cleaned, multiline=True) == cleaned


@given(st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))))
def test_clean_text_leaves_printable_text_alone(text: str) -> None:
    assert clean_text(text) == text.replace("\ufffe", "").replace("\uffff", "")


@pytest.mark.parametrize(("raw", "single", "multi"), [
    ("COP\x0016", "COP16", "COP16"),
    ("\x1b[31mred\x1b[0m\x07", "[31mred[0m", "[31mred[0m"),
    ("one\r\ntwo\rthree\nfour", "one two three four", "one\ntwo\nthree\nfour"),
    ("Word\x0bline\x0cpage\u2028sep\x85nel", "Word line page sep nel", "Word\nline\npage\nsep\nnel"),
    ("tab\there", "tab\there", "tab\there"),
    ("del\x7f c1\x9b lone\ud800 non\ufffe", "del c1 lone non", "del c1 lone non"),
])
def test_clean_text_examples(raw: str, single: str, multi: str) -> None:
    assert clean_text(raw) == single
    assert clean_text(raw, multiline=True) == multi


@pytest.mark.parametrize("url", [
    "https://www.cbd.int/meetings", "http://cites.org", "HTTPS://RAMSAR.ORG/x?y=1#z",
    "  https://example.org/with space  ", "https://[2001:db8::1]/",
])
def test_web_addresses_pass(url: str) -> None:
    assert web_url(url) == url.strip()


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "ftp://ftp.example.org/x",
    "file:///etc/passwd", "mailto:a@b.org", "/events/1", "events/1", "//evil.example/x",
    "www.cbd.int/meetings", "http://", "https:///path", "http:evil", "https:\\\\evil.example",
    "http://[::1", "",
])
def test_everything_else_is_not_a_web_address(url: str) -> None:
    with pytest.raises(ValueError, match="is not a web address"):
        web_url(url)


def test_a_source_may_be_a_citation_in_words_but_not_an_address_of_another_scheme() -> None:
    citation = "Report of the meeting of the Liaison Group, 8 September 2025, Geneva"
    assert source_reference(citation) == citation
    assert source_reference("Note: see the report") == "Note: see the report"
    for bad in ("javascript:alert(1) //x", "data:text/html,x y", "www.cbd.int"):
        with pytest.raises(ValueError, match="is not a web address"):
            source_reference(bad)


@given(st.text())
def test_xml_text_is_always_well_formed_in_an_svg(text: str) -> None:
    from xml.sax.saxutils import escape
    parseString(f"<svg><text>{escape(xml_text(text))}</text></svg>".encode())


@given(st.text())
def test_printable_text_holds_no_control_character_and_is_json_that_means_the_same(text: str) -> None:
    shown = printable(text)
    assert not [char for char in shown if is_control(char) and char not in "\t\n"]
    dumped = json.dumps({"t": text}, ensure_ascii=False)
    assert json.loads(printable(dumped)) == {"t": text}


def event(**fields: object) -> Event:
    values: dict[str, object] = {"title": "COP 17", **fields}
    return Event(uid="u", bodies=("cbd",), start_date=date(2026, 10, 19),
                 end_date=date(2026, 10, 30), **values)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["title", "code", "city", "venue", "expected", "timezone",
                                  "url", "source_url", "description"])
def test_every_text_field_is_held_to_its_limit(name: str) -> None:
    limit = FIELD_LIMITS[name]
    assert event_problems(event(**{name: "x" * limit})) == []
    assert event_problems(event(**{name: "x" * (limit + 1)})) == [
        f"{name} is {limit + 1:,} characters, the limit is {limit:,}"]


def test_tags_are_held_each_and_together() -> None:
    assert event_problems(event(tags=("t" * 65,))) == [
        f"tag {'t' * 60 + chr(0x2026)!r} is 65 characters, the limit is 64"]
    many = tuple(f"tag{n:03}" for n in range(80))
    assert event_problems(event(audience=many)) == ["audience: 638 characters in all, the limit is 500"]


def test_a_title_of_nothing_but_control_characters_is_empty() -> None:
    assert event_problems(clean_event(event(title="\x00\x1b\x07"))) == ["title is empty"]


@given(st.text(max_size=30), st.text(max_size=30), st.lists(st.text(max_size=10), max_size=4))
def test_a_screened_item_holds_no_control_character(title: str, venue: str, tags: list[str]) -> None:
    item = HarvestedItem(external_uid="id\x00", event=event(title=f"T{title}", venue=venue or None,
                                                            tags=tuple(tags)),
                         titles=(("fr", f"T{title}"),))
    shown = screened(item, strict_urls=True)
    texts = [shown.external_uid, shown.event.title, shown.event.venue or "", *shown.event.tags,
             *(text for pair in shown.titles for text in pair)]
    assert not [char for text in texts for char in text if is_control(char) and char != "\t"]


def test_a_screened_item_lists_every_problem_of_its_fields() -> None:
    item = HarvestedItem(external_uid="x" * 1001, event=event(title="T" * 600, venue="V" * 301,
                                                              url="javascript:alert(1)"),
                         titles=(("en", "T" * 600), ("fr", "F" * 501)))
    with pytest.raises(FieldProblems) as caught:
        screened(item, strict_urls=True)
    assert caught.value.problems == [
        "title is 600 characters, the limit is 500",
        "venue is 301 characters, the limit is 300",
        "uid is 1,001 characters, the limit is 1,000",
        "title (fr) is 501 characters, the limit is 500",
        "url 'javascript:alert(1)' is not a web address (only http:// and https:// with a host)",
    ]


def test_a_feed_item_with_a_bad_address_keeps_its_event_and_says_so() -> None:
    item = HarvestedItem(external_uid="a", event=event(url="data:text/html,x"),
                         source_url="data:text/html,x")
    shown = screened(item, strict_urls=False)
    assert shown.event.url is None and shown.source_url is None
    assert shown.warnings == ("url 'data:text/html,x' is not a web address (only http:// and "
                              "https:// with a host); left out",)
