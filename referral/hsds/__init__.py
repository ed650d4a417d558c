"""Open Referral HSDS: the upload page (preview, then import), the term -> need mapping table,
and the consent of imported contacts; `cli.py` has `flask --app app hsds export|import`."""

from flask import Blueprint

bp = Blueprint("hsds", __name__, url_prefix="/hsds")

from referral.hsds import routes  # noqa: E402,F401
