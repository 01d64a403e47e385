"""The public good-practices library: published practices only, searched accent-insensitively and filtered by
theme, region and impact area; each practice's page; the practices an Action's public page lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from ..actions.models import Action
from ..core.errors import NotFound
from ..core.filters import ListFilterForm, text
from ..core.forms import enum_options
from ..core.i18n import _
from ..extensions import db
from ..knowledge.lifecycle import ImpactArea, PracticeStatus
from ..knowledge.models import Practice
from ..knowledge.queries import PracticeFilters, practices_list
from ..reference.choices import filter_choices
from .services import published_actions


class PracticeFilterForm(ListFilterForm):
    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    theme = SelectField(_l("Thematic area"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])
    impact_area = SelectField(_l("Impact area"), validators=[Optional()],
                              choices=enum_options(ImpactArea, empty=_l("Any impact area")))


def practice_filter_form(args: Mapping[str, Any]) -> PracticeFilterForm:
    return PracticeFilterForm.from_args(args, **filter_choices(db.session, "region", "theme"))


def to_practice_filters(args: Mapping[str, Any]) -> PracticeFilters:
    area = text(args, "impact_area")
    return PracticeFilters(q=text(args, "q"), theme=text(args, "theme"), region=text(args, "region"),
                           impact_area=area if area in {a.value for a in ImpactArea} else None)


def public_practice_list(filters: PracticeFilters):
    return practices_list(filters, published_only=True)


def public_practice(session: Session, practice_id: int) -> Practice:
    practice = session.scalar(select(Practice).where(
        Practice.id == practice_id, Practice.status == PracticeStatus.PUBLISHED).options(
        selectinload(Practice.actions), selectinload(Practice.deliverables), selectinload(Practice.event),
        selectinload(Practice.indicators)))
    if practice is None:
        raise NotFound(_("No such practice."))
    return practice


def published_sources(session: Session, practice: Practice) -> list[Action]:
    """The practice's source Actions that are published: an unpublished Action stays out of the public pages."""
    ids = [a.id for a in practice.actions]
    if not ids:
        return []
    return list(session.scalars(published_actions().where(Action.id.in_(ids)).order_by(Action.name)))
