from flask import Blueprint, render_template

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")


@bp.get("/")
def index():
    return "catalogue: being built", 501


@bp.get("/map")
def map():
    return render_template("catalogue/map.html")


@bp.get("/map.json")
def map_data():
    return {"countries": [], "max": 0}
