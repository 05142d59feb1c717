"""Parse untrusted bytes in a child process with CPU and memory limits.

The parsers bound their work by count (:mod:`blgcal.domain.harvest.limits`);
this is the second wall, for whatever the counts did not foresee. The parse
runs in a forked child: fork shares the parent's loaded modules, so it costs
milliseconds, not an interpreter's start. The child sets ``RLIMIT_CPU`` to
``limits.seconds`` and ``RLIMIT_AS`` to what it inherited plus
``limits.megabytes``, and sends back the result or the parser's error. A
child that runs out of either, or is still busy after twice its CPU seconds
of wall time (a machine too loaded to give it the CPU), is stopped, and the
parse fails with a :class:`ParseError` that says which limit it hit. The web
worker or the CLI that asked goes on.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from blgcal.domain.harvest.limits import ParseLimits
from blgcal.domain.harvest.records import ParseError, ParseResult, Problem

Parser = Callable[..., ParseResult]


def confined(source: str, limits: ParseLimits, parse: Parser, /, *args: Any,
             **kwargs: Any) -> ParseResult:
    """``parse(*args, **kwargs)`` in a child process held to *limits*.

    :param source: the file name or URL a limit's error names.
    :raises ParseError: the parser's own, or the limit the child hit.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, limits, parse, args, kwargs), daemon=True)
    child.start()
    sender.close()
    try:
        outcome = receiver.recv() if receiver.poll(2 * limits.seconds) else ("late", None)
    except EOFError:  # the child died before it answered
        outcome = ("died", None)
    finally:
        receiver.close()
        child.kill()
        child.join()
    kind, value = outcome
    if kind == "result":
        return value  # type: ignore[no-any-return]
    if kind == "raised":
        raise value
    raise ParseError(source, [Problem("", _limit_message(kind, child.exitcode, limits))])


def _limit_message(kind: str, exitcode: int | None, limits: ParseLimits) -> str:
    if kind == "memory":
        return f"parsing needed more than {limits.megabytes:,} MB; nothing was imported"
    if kind == "deep":
        return "the file nests too deeply to read; nothing was imported"
    if kind == "late" or exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"parsing took more than {limits.seconds:,} s; nothing was imported"
    return f"the parser stopped unexpectedly (exit status {exitcode}); nothing was imported"


def _child(sender: Connection, limits: ParseLimits, parse: Parser, args: tuple[Any, ...],
           kwargs: dict[str, Any]) -> None:
    """Run in the child: limit, parse, send ("result" | "raised" | "memory" | "deep", value)."""
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 1))
    inherited = _address_space()
    if inherited is not None:
        room = inherited + limits.megabytes * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (room, room))
    try:
        outcome: tuple[str, object] = ("result", parse(*args, **kwargs))
    except MemoryError:
        outcome = ("memory", None)
    except RecursionError:
        outcome = ("deep", None)
    except Exception as exc:  # noqa: BLE001 (the parser's error is the parent's to raise)
        # Its tracebacks hold the parse's frames, and so its memory: let them go.
        exc.__context__ = exc.__cause__ = None
        outcome = ("raised", exc.with_traceback(None))
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory", None))
    except Exception as exc:  # noqa: BLE001 (an error that does not pickle: send its text)
        sender.send(("raised", RuntimeError(f"{outcome[0]}: {exc!r}")))


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (None without /proc: macOS ignores RLIMIT_AS)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return None
