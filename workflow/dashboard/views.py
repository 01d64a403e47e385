from flask import Blueprint

from ..accounts.access import staff_required

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


@bp.get("/")
@staff_required
def index():
    return "dashboard: being built", 501
