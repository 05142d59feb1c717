"""Configuration defaults; `instance/config.py` and `BLGCAL_*` variables override them.

Every key here can be set as an environment variable with the ``BLGCAL_``
prefix, e.g. ``BLGCAL_DATABASE_URL`` or ``BLGCAL_SECRET_KEY``.
"""

from __future__ import annotations

from pathlib import Path

#: Placeholder that marks "no secret configured": the app refuses to start with it
#: outside development and tests.
INSECURE_SECRET = "dev-only-insecure-secret"


def defaults(instance_path: str) -> dict[str, object]:
    """The built-in configuration for an app whose instance folder is *instance_path*."""
    return {
        "SECRET_KEY": INSECURE_SECRET,
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'blgcal.sqlite3'}",
        "SITE_NAME": "BLG calendar",
        "BASE_URL": None,  # the public https:// address, for links made outside a request
        "PER_PAGE": 50,
        "MAX_PER_PAGE": 500,
        "AGENDA_PAST_MEETINGS": 6,
        "MAX_CONTENT_LENGTH": 12 * 2**20,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SQL_ECHO": False,
        "LOCAL_DEVELOPMENT": False,  # plain-http cookies on a laptop; set by instance/config.py
        "PRODUCTION": False,  # BLGCAL_PRODUCTION=1 marks a deployment (see blgcal.cli)
        "PAGE_CACHE_MB": 32,  # rendered public pages kept per process; 0 turns it off
        "FINDINGS_CACHE_MB": 64,  # clashes and opportunities kept per process; 0 turns it off
        "SEED_DIR": None,  # a folder with the seed CSV files; None: the shipped ones
        "REDIS_URL": None,  # shared state for several workers: sign-in throttling, the job queue
        "QUEUE_FILE": None,  # the job queue's SQLite file without Redis; None: instance/queue.sqlite3
        "WORKER_NICE": 10,  # nice levels blgcal worker runs below the web (0: the same priority)
        "QUEUE_IMMEDIATE": False,  # run each job inside the request that queues it (tests)
        "JOB_HEARTBEAT_SECONDS": 2,  # a running job says it is alive this often; workers reap as often
        "JOB_STALE_MINUTES": 3,  # a job of another machine's worker silent this long is marked lost
        "JOB_TIMEOUT_MINUTES": 30,  # a job still working after this is stopped at its next stage
        "JOB_LOCK_WAIT_MINUTES": 10,  # a job waits this long for another harvest's lock, then fails
        "LOG_FORMAT": None,  # "json" (one object a line) or "text"; None: json in production
        "READY_MAX_HARVEST_AGE_HOURS": 24,  # /readyz fails when enabled sources went unharvested longer
        "READY_MAX_QUEUE_WAIT_MINUTES": 10,  # /readyz fails when a job waited longer (no worker)
        "LOGIN_LIMIT_PER_ADDRESS": "30 per 10 minutes",
        "LOGIN_LIMIT_PER_ACCOUNT": "8 per 10 minutes",  # shared by clients without a device cookie
        "LOGIN_LIMIT_PER_DEVICE": "8 per 10 minutes",  # each device cookie's own (blgcal.web.devices)
        "RESET_LINK_HOURS": 72,
        "MAIL_SERVER": None,  # SMTP host; when set, reset links are mailed
        "MAIL_PORT": 25,
        "MAIL_STARTTLS": False,  # upgrade with STARTTLS, verifying the certificate
        "MAIL_CA_FILE": None,  # PEM bundle for a relay signed by a private authority
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_FROM": "blgcal@localhost",
        "TRASH_DAYS": 30,  # deleted events can be purged by an admin after this many days
        "TRUSTED_PROXIES": 0,  # how many proxies in front set X-Forwarded-For/-Proto/-Host
        "WTF_CSRF_TIME_LIMIT": None,  # tokens last as long as the session
        "HARVEST_ALLOW_HOSTS": [],  # "host" or "host:port" trusted even on private addresses
        "HARVEST_MAX_BYTES": 10 * 2**20,  # largest feed or upload a harvest reads
        "HARVEST_MAX_DROP": 0.5,  # refuse a harvest that would drop more than this share
        "HARVEST_CONNECT_TIMEOUT": 5,  # seconds
        "HARVEST_READ_TIMEOUT": 30,  # seconds for the whole response
        "HARVEST_MAX_REDIRECTS": 5,
        "HARVEST_STALE_DAYS": 7,  # a source with no success for this long is flagged stale
        "HARVEST_LOCK_MINUTES": 60,  # a lock row whose harvest died is taken over after this
        "FEED_PAST_DAYS": 90,  # feeds show the last this many days and everything ahead
        "FEED_KEEP_CANCELLED_DAYS": 30,  # cancelled/deleted events stay (as cancelled) this long
        "FEED_WARN_KB": 800,  # log a warning when a feed grows past this size
        "FEED_MAX_AGE": 900,  # Cache-Control max-age of feeds, in seconds
        "FEED_CACHE_MB": 64,  # finished feeds kept in memory per process; 0 turns it off
        "FEED_INDEX_SIZE": 50_000,  # feed addresses whose ETag a process remembers (~500 B each)
        "TOKEN_CACHE_SIZE": 20_000,  # private feeds a process keeps by token on PostgreSQL; 0: none
        "VERSION_CHECK_MS": 1000,  # how stale another process's write may look to a worker
    }
