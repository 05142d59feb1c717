"""What the ``blgcal`` commands print: stored text shown, never obeyed, by the terminal.

Titles and notes may hold control characters (rows written before input was
cleaned, :func:`blgcal.domain.validation.clean_text`); ESC or BEL would
reach the terminal as commands. They are printed as ``\\u001b`` instead.
"""

from __future__ import annotations

import click

from blgcal.domain.validation import printable


def echo(message: str, *, err: bool = False) -> None:
    """Print *message* and a newline, control characters made visible."""
    click.echo(printable(message), err=err)


class CommandError(click.ClickException):
    """``click.ClickException`` whose message is printed with control characters made visible."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))
