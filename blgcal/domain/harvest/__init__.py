"""Parsers that turn other organisations' files into events (no I/O)."""
