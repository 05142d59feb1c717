"""Use cases over a SQLAlchemy Session. Services flush; the caller commits."""
