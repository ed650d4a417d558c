"""The HTTP edge: security headers (Flask-Talisman), the trusted proxy, no-store, and same-site redirects."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import folium
from flask import Flask, request
from flask_talisman import Talisman
from markupsafe import escape
from werkzeug.middleware.proxy_fix import ProxyFix

PERMISSIONS_POLICY = {  # nothing here uses them (the copy button writes to the clipboard, allowed to 'self')
    "geolocation": "()", "camera": "()", "microphone": "()", "payment": "()", "usb": "()",
    "browsing-topics": "()",
}


def tile_template(tiles: str | None) -> str | None:
    """The URL template of the map tiles (a folium provider name or a template); None without tiles."""
    return folium.TileLayer(tiles, attr="-").tiles if tiles else None


def tile_source(tiles: str | None) -> str | None:
    """The origin map tiles come from (folium name or URL template), for img-src; None without tiles."""
    template = tile_template(tiles)
    if not template:
        return None
    parts = urlsplit(template.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def content_security_policy(tiles: str | None) -> dict[str, str]:
    return {
        "default-src": "'self'",
        "script-src": "'self'",  # + the request's nonce (Talisman): no inline script without it
        # 'unsafe-inline' for styles only: folium writes <style> blocks and Leaflet style="" attributes
        # in its popups and icons, and the map legend colours its swatches so. No script can run from CSS.
        "style-src": "'self' 'unsafe-inline'",
        "img-src": " ".join(filter(None, ("'self'", "data:", tile_source(tiles)))),
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-src": "'self'",
        "frame-ancestors": "'self'",  # the territory map documents are shown in an iframe of our own pages
    }


def init_app(app: Flask) -> None:
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # Only as many X-Forwarded-* hops as there are proxies of ours: anything further is client-made.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    production = app.config.get("ENV") == "production"
    # One Talisman per app: it keeps its options on itself, and tests build apps with different ones.
    app.extensions["talisman"] = Talisman(
        app,
        content_security_policy=content_security_policy(app.config.get("MAP_TILES")),
        content_security_policy_nonce_in=["script-src"],
        frame_options="SAMEORIGIN",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy=PERMISSIONS_POLICY,
        # The TLS proxy sends http to https; the server on loopback (health checks, the load test) stays plain.
        # HSTS goes on answers to https requests (the scheme from ProxyFix), in production only.
        force_https=False,
        strict_transport_security=production,
        strict_transport_security_include_subdomains=False,
        # Cookies stay as config.py sets them (Talisman would otherwise force Secure in dev too).
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
    )

    @app.after_request
    def no_store(response):
        # Pages and API answers carry personal data or a CSRF token: no browser or proxy cache keeps them.
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response


def with_nonce(html: str) -> str:
    """A rendered HTML document (a folium map) with the request's CSP nonce on each of its <script> tags."""
    nonce = escape(getattr(request, "csp_nonce", ""))
    return re.sub(r"<script(?=[\s>])", f'<script nonce="{nonce}"', html, flags=re.IGNORECASE)


def local_target(target: str | None) -> str | None:
    """`target` when it is a path of this site (« /recherche?q=… »), else None.

    Refused: another site (`https://…`, `//host`), and what browsers read as one: a backslash
    (`/\\host`), tabs or newlines (dropped: `/\\t/host`), and the same encoded (`/%2F%2Fhost`).
    """
    if not target or not target.startswith("/") or re.search(r"[\x00-\x1f\x7f]", target):
        return None
    parts = urlsplit(target)
    path = parts.path
    for _ in range(3):  # doubly encoded too
        path = unquote(path)
    if parts.scheme or parts.netloc or path.startswith("//") or "\\" in path or re.search(r"[\x00-\x1f\x7f]", path):
        return None
    return target
