"""/api/v1 the roster's writes: adding and editing experts, their status and their unavailable periods."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import ValidationError, validate
from sqlalchemy import select

from ..accounts.models import Role
from ..core.errors import DomainError, NotFound
from ..core.web import now
from ..experts.models import Expert, ExpertStatus, ExpertType, Gender, Unavailability
from ..experts.services import (
    ExpertProfile,
    add_unavailability,
    change_status,
    get_expert,
    nominate_expert,
    remove_unavailability,
    update_expert,
)
from ..extensions import db
from ..reference.models import Country, Institution, ThematicArea
from .common import check_version, commit, filled, me, require_roles, require_staff
from .parsing import Blueprint
from .schemas_roster import (
    ExpertEditIn,
    ExpertIn,
    ExpertProfileOut,
    ExpertStatusIn,
    UnavailabilityIn,
    UnavailabilityOut,
)

blp = Blueprint("api_roster", __name__, url_prefix="/api/v1", description="The roster: experts' profiles")


def _themes(levels: dict[str, int]) -> dict[int, int]:
    ids = dict(db.session.execute(select(ThematicArea.code, ThematicArea.id)
                                  .where(ThematicArea.code.in_(list(levels)))).all())
    missing = sorted(set(levels) - set(ids))
    if missing:
        raise DomainError(f"No such thematic area: {missing[0]}.", field="themes")
    return {ids[code]: level for code, level in levels.items()}


def _known(data: dict) -> None:
    """What the page takes: an e-mail address, countries of the reference list and institutions that exist."""
    if "email" in data:
        try:
            validate.Email()(data["email"].strip())
        except ValidationError:
            raise DomainError("Not a valid e-mail address.", field="email") from None
    for name in ("nationality", "country"):
        if name in data and db.session.get(Country, data[name]) is None:
            raise DomainError(f"{data[name]} is not a country of the list.", field=name)
    unknown = set(data.get("countries_worked") or ()) - set(db.session.scalars(
        select(Country.code).where(Country.code.in_(data.get("countries_worked") or ()))))
    if unknown:
        raise DomainError(f"{sorted(unknown)[0]} is not a country of the list.", field="countries_worked")
    if data.get("institution_id") is not None and db.session.get(Institution, data["institution_id"]) is None:
        raise DomainError("No such institution.", field="institution_id")


def profile_of(data: dict, expert: Expert | None = None) -> ExpertProfile:
    """The page's profile from the body; in an edit, a field left out keeps the expert's value."""

    filled(data, "name", "email")
    _known(data)

    def value(name: str, attribute: str | None = None):
        return data[name] if name in data else getattr(expert, attribute or name)

    return ExpertProfile(
        name=value("name").strip(), email=value("email").strip(), gender=Gender(value("gender")),
        nationality=value("nationality"), country_code=value("country", "country_code"),
        type=ExpertType(value("type")), institution_id=value("institution_id"),
        years_experience=value("years_experience"), max_days_per_year=value("max_days_per_year"),
        languages=data["languages"] if "languages" in data else
        {lang.language: lang.level for lang in expert.languages} if expert else {},
        themes=_themes(data["themes"]) if "themes" in data else
        {t.thematic_area_id: t.level for t in expert.themes} if expert else {},
        countries_worked=tuple(data["countries_worked"]) if "countries_worked" in data else
        tuple(c.code for c in expert.countries_worked) if expert else (),
    )


@blp.route("/experts")
class NewExpert(MethodView):
    @blp.arguments(ExpertIn)
    @blp.response(201, ExpertProfileOut)
    def post(self, data):
        """Nominate an expert (focal points: of their own member state; staff approve nominations)."""
        require_roles(Role.ADMIN, Role.OFFICER, Role.MS_FOCAL_POINT, doing="add experts to the roster")
        expert = nominate_expert(db.session, profile_of(data), actor=me(), now=now())
        commit()
        return expert


@blp.route("/experts/<id:expert_id>")
class EditExpert(MethodView):
    @blp.arguments(ExpertEditIn)
    @blp.response(200, ExpertProfileOut)
    def patch(self, data, expert_id):
        """Edit an expert's profile (staff, their focal point, or the expert); a stale `version` answers 409."""
        expert = get_expert(db.session, me(), expert_id)
        check_version(expert, data["version"], "profile")
        update_expert(db.session, expert, profile_of(data, expert), version=data["version"], actor=me(), now=now())
        commit()
        return expert


@blp.route("/experts/<id:expert_id>/status")
class ExpertStatusChange(MethodView):
    @blp.arguments(ExpertStatusIn)
    @blp.response(200, ExpertProfileOut)
    def post(self, data, expert_id):
        """Approve, activate or deactivate an expert (staff); a move the roster does not allow answers 409."""
        require_staff()
        expert = get_expert(db.session, me(), expert_id)
        change_status(db.session, expert, ExpertStatus(data["status"]), actor=me(), now=now())
        commit()
        return expert


@blp.route("/experts/<id:expert_id>/unavailability")
class ExpertUnavailability(MethodView):
    @blp.arguments(UnavailabilityIn)
    @blp.response(201, UnavailabilityOut)
    def post(self, data, expert_id):
        """Declare a period the expert cannot be deployed (the expert or staff)."""
        expert = get_expert(db.session, me(), expert_id)
        period = add_unavailability(db.session, expert, data["start_date"], data["end_date"], data.get("reason"),
                                    actor=me())
        commit()
        return period


@blp.route("/unavailability/<id:period_id>")
class OneUnavailability(MethodView):
    @blp.response(204)
    def delete(self, period_id):
        """Remove an unavailable period (the expert or staff)."""
        period = db.session.get(Unavailability, period_id)
        if period is None:
            raise NotFound("No such unavailable period.")
        get_expert(db.session, me(), period.expert_id)
        remove_unavailability(db.session, period, actor=me())
        commit()
