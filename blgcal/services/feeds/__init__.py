"""Feeds: building, caching, stored pieces, private feeds and their specs."""
