"""Settings, read from the environment (and a .env file if present)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
load_dotenv(BASE_DIR / ".env")


def _local_secret_key(var_dir: Path) -> str:
    """For local runs only: generated once and kept in var/, so sessions survive a restart."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    VAR_DIR = Path(os.environ.get("EI_VAR_DIR", BASE_DIR / "var"))
    ENV = os.environ.get("EI_ENV", "development")

    # Neo4j: an external server when NEO4J_URI is set, else the local embedded one.
    NEO4J_URI = os.environ.get("NEO4J_URI")
    NEO4J_USER = os.environ.get("NEO4J_USER", "neo4j")
    NEO4J_PASSWORD = os.environ.get("NEO4J_PASSWORD")
    NEO4J_DATABASE = os.environ.get("NEO4J_DATABASE", "neo4j")
    NEO4J_LOCAL_HOME = Path(os.environ.get("NEO4J_LOCAL_HOME", VAR_DIR / "neo4j"))
    NEO4J_LOCAL_PORT = int(os.environ.get("NEO4J_LOCAL_PORT", "7687"))
    NEO4J_LOCAL_HEAP = os.environ.get("NEO4J_LOCAL_HEAP", "1g")
    NEO4J_LOCAL_PAGECACHE = os.environ.get("NEO4J_LOCAL_PAGECACHE", "512m")

    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "America/Toronto"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024))
    # The host names the site answers to (Flask refuses any other Host with a 400), so that a forged Host
    # header never makes the links the app writes (referral messages, shared cards) point elsewhere.
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None
    # Bounded imports (issue 13): what reading one upload may cost, whatever its headers claim. Bytes once
    # decompressed per file and in all, files in a zip, CSV rows or JSON objects in all, JSON nesting (API
    # bodies too). The defaults are interop.bounded.Limits'; memory stays under ~200 MB at these values.
    IMPORT_MAX_ENTRY_BYTES = int(os.environ.get("IMPORT_MAX_ENTRY_BYTES", 8 * 1024 * 1024))
    IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", 16 * 1024 * 1024))
    IMPORT_MAX_ENTRIES = int(os.environ.get("IMPORT_MAX_ENTRIES", "100"))
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))
    JSON_MAX_DEPTH = int(os.environ.get("JSON_MAX_DEPTH", "32"))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Failed logins per IP: a co-development group of 15 behind one address must survive each other's typos,
    # so the guard against one address trying many accounts is a ceiling; one account's guard is below.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "40 per minute;300 per hour")
    RATELIMIT_HEADERS_ENABLED = True  # a 429 says when to try again (Retry-After)
    # Sessions and authentication (issue 13). A session ends after SESSION_IDLE_MINUTES without a request
    # and SESSION_ABSOLUTE_HOURS after login; « rester connecté.e » lasts REMEMBER_COOKIE_DURATION. Failed
    # logins are limited per IP (LOGIN_RATE_LIMIT, above) and per account, with a longer second window as
    # backoff; RATELIMIT_STORAGE_URI (e.g. redis://) lets several processes share the counts.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    # Flask also refuses any session cookie signed longer ago than this (it defaults to 31 days).
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_ABSOLUTE_HOURS)
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("REMEMBER_DAYS", "14")))
    REMEMBER_COOKIE_SAMESITE = "Lax"
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute;20 per hour")
    # « Mot de passe oublié ? »: every request counts, per IP and per address (whether it has an account
    # or not), so the page floods no mailbox and tells nothing by answering differently.
    RESET_RATE_LIMIT = os.environ.get("RESET_RATE_LIMIT", "10 per hour")
    RESET_ADDRESS_RATE_LIMIT = os.environ.get("RESET_ADDRESS_RATE_LIMIT", "3 per hour")
    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
    # Online geocoding (Nominatim) of what a worker types about a family (search) is off unless asked for: it
    # would leave the site; the shipped postal-area table serves offline. An organisation's address is public:
    # the directory asks Nominatim when the network allows (else the postal area, at once for ten minutes).
    GEOCODER = os.environ.get("GEOCODER", "offline")
    ORGANISATION_GEOCODER = os.environ.get("ORGANISATION_GEOCODER", "nominatim")
    GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "3"))
    GEOCODER_SERVER = os.environ.get("GEOCODER_SERVER", "https://nominatim.openstreetmap.org")
    # Map tiles (folium name or URL template); empty for none. Maps draw without them when offline.
    MAP_TILES = os.environ.get("MAP_TILES", "OpenStreetMap")
    # HTTP edge (issue 13). Behind the TLS proxy, TRUSTED_PROXIES is how many proxies set X-Forwarded-*
    # (1 for the documented one): client address and https links come from them. 0 = headers ignored.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # E-mail (issue 15). With MAIL_SERVER set, messages go out over SMTP (MAIL_PORT, MAIL_USE_TLS or
    # MAIL_USE_SSL, MAIL_USERNAME, MAIL_PASSWORD); without it (the `make run` default) each message is
    # written to var/mail/ as an .eml file that admins can read at /admin/courriels. Links in messages
    # start with PUBLIC_URL, the address people open the site at.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Réseau EI <ne-pas-repondre@reseau-ei.local>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    MAIL_FILE_PATH = str(VAR_DIR / "mail")
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
    # The daily digest goes out at the first `notify due` from this hour on (Montréal time).
    NOTIFY_DIGEST_HOUR = int(os.environ.get("NOTIFY_DIGEST_HOUR", "7"))
    # Each server process also looks for due notifications (retries) this often, between cron runs.
    NOTIFY_RETRY_SECONDS = float(os.environ.get("NOTIFY_RETRY_SECONDS", "60"))
    # How long a network figure computed before another person's write may still be shown (referral/graphdb.py).
    FIGURES_MAX_AGE = float(os.environ.get("FIGURES_MAX_AGE", "5"))
    # Plan the search's statements at the first request (referral/search/web.py); tests plan as they go.
    WARM_SEARCH = True

    def __init__(self) -> None:
        secret = os.environ.get("SECRET_KEY")
        if not secret:
            if self.ENV == "production":
                raise RuntimeError("SECRET_KEY must be set in production.")
            secret = _local_secret_key(self.VAR_DIR)
        self.SECRET_KEY = secret
        # No SMTP server configured: messages are files (referral/notify/mailer.py), never lost.
        self.MAIL_BACKEND = "smtp" if self.MAIL_SERVER else "referral.notify.eml_backend"
        if self.ENV == "production":
            self.SESSION_COOKIE_SECURE = True
            self.REMEMBER_COOKIE_SECURE = True


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False

    def __init__(self) -> None:
        os.environ.setdefault("SECRET_KEY", "test-secret-key")
        super().__init__()
        self.MAIL_BACKEND = "locmem"  # the suite's apps use its SMTP server (tests/conftest.py) or none
        # Only what an app's own requests wake: an app a test left running never sends a later test's mail.
        self.NOTIFY_RETRY_SECONDS = 3600.0
        self.WARM_SEARCH = False
        self.FIGURES_MAX_AGE = 0.0  # figures exact after any write; tests/integration/test_kept_figures.py sets it
        self.ORGANISATION_GEOCODER = "offline"  # the suite never leaves the machine
