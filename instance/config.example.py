# An example instance/config.py: copy it to instance/config.py and change what you need.
# Every key can also come from a BLGCAL_* environment variable, which wins over this file.
# The full list of keys, with their defaults, is blgcal/config.py and the README's table.

# At least 32 random characters: python -c 'import secrets; print(secrets.token_hex(32))'
# SECRET_KEY = "..."

# Plain-http cookies for http://127.0.0.1:5000 on a laptop. Never in production.
LOCAL_DEVELOPMENT = True

# The embedded default is SQLite in this folder; production uses PostgreSQL:
# DATABASE_URL = "postgresql+psycopg://blgcal@127.0.0.1:5432/blgcal"

# Required outside local development: the address people use (links never come from Host).
# BASE_URL = "https://calendar.example.org"

# Shared sign-in throttling across several workers:
# REDIS_URL = "redis://127.0.0.1:6379/0"

# Intranet feeds a harvest may reach although they resolve to private addresses:
# HARVEST_ALLOW_HOSTS = ["feeds.intranet.example:8443"]
