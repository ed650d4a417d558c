from flask import Blueprint

from referral.evaluation.presentation import format_figure

bp = Blueprint("territories", __name__, url_prefix="/territoires")


@bp.context_processor
def number_formats():
    """The map's figures in the reader's language, as the evaluation writes them (« 0,418 », « 33 % »)."""
    return {"format_figure": format_figure}


from referral.territories import boundary_routes, routes  # noqa: E402,F401
