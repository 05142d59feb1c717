"""The pure core of blgcal: plain data and functions, no I/O.

Nothing in this package imports Flask, SQLAlchemy or touches the network, the
clock or the database: those arrive as parameters. Clash detection,
opportunities, slot finding, feed building and feed parsing live here.
"""
