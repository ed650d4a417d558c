"""« Qui appeler ? »: find a named contact by need, territory, language and distance."""

from flask import Blueprint, current_app

bp = Blueprint("search", __name__)


@bp.before_app_request
def _warm() -> None:
    web.warm_on_first_request(current_app._get_current_object())


from referral.search import routes, web  # noqa: E402,F401
