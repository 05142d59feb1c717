"""Harvests and imports: running sources, applying items, the lock, sources, duplicates."""
