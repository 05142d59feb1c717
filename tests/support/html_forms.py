"""Read an HTML form as a browser would submit it untouched (stdlib ``html.parser``)."""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED_TYPES = {"submit", "button", "reset", "file", "image"}


class _FormReader(HTMLParser):
    def __init__(self, css_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.css_class, self.inside = css_class, False
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._multiple, self._chosen = False, False
        self._first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = self.css_class in attr.get("class", "").split()
            return
        if not self.inside:
            return
        name = attr.get("name")
        if tag == "input" and name and attr.get("type", "text") not in SKIPPED_TYPES:
            if attr.get("type") in {"checkbox", "radio"}:
                if "checked" in attr:
                    self.pairs.append((name, attr.get("value", "on")))
            else:
                self.pairs.append((name, attr.get("value", "")))
        elif tag == "select":
            self._select, self._multiple = name, "multiple" in attr
            self._first, self._chosen = None, False
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = attr.get("value", "")
            if "selected" in attr:
                self._chosen = True
                self.pairs.append((self._select, attr.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            # A single select with nothing selected submits its first option.
            if not self._chosen and not self._multiple and self._first is not None:
                self.pairs.append((self._select, self._first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop one newline (CRLF or LF) right after <textarea>; html.parser keeps it.
            text = "".join(self._text)
            for newline in ("\r\n", "\n"):
                if text.startswith(newline):
                    text = text[len(newline):]
                    break
            self.pairs.append((self._textarea, text))
            self._textarea = None


def form_pairs(html: str, css_class: str) -> list[tuple[str, str]]:
    """The (name, value) pairs the forms of *html* with *css_class* submit as they stand."""
    reader = _FormReader(css_class)
    reader.feed(html)
    return reader.pairs


def as_data(pairs: list[tuple[str, str]], **changes: str) -> dict[str, list[str]]:
    """*pairs* as test-client form data, with some fields set to new values."""
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    data.update({name: [value] for name, value in changes.items()})
    return data
