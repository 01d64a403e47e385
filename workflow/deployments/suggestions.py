"""The suggestions page as a comparison: a slot's best candidates as rows, their filters, who is asked
elsewhere on the same dates, and whom the hard rules refuse, with why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..activities.models import Activity, ExpertSlot
from ..core.figures import remember
from ..core.forms import enum_options, options
from ..core.i18n import _
from ..core.search import matches
from ..experts.models import Expert, ExpertLanguage, ExpertType, Gender
from ..matching import Booking, Period, Ranked, Slot, Violation, clashes, score, violations
from ..matching.engine import TRAVEL_DAYS
from ..reference.choices import locale_code
from ..reference.services import country_name
from .candidates import WORKING_LEVELS, slot_of
from .explain import language_name, main_tags
from .forms import SuggestionFilterForm
from .lifecycle import LIVE, DeploymentStatus
from .models import Deployment
from .roster_pool import candidate_pool

SHOWN = 20  # rows of candidates: one screen of a laptop
REFUSED_SHOWN = 10
CEFR_BEST_FIRST = ("C2", "C1", "B2")
PENDING = (DeploymentStatus.PROPOSED, DeploymentStatus.INVITED)  # live but not booked: no hard rule yet


@dataclass(frozen=True)
class Pending:
    """A proposal or invitation of the candidate on another activity whose dates clash with the slot's."""

    title: str
    start: date
    end: date


@dataclass(frozen=True)
class Row:
    """One candidate the hard rules allow: the score and its parts, and what the row shows of them."""

    ranked: Ranked
    expert: Expert
    languages: list[tuple[str, str]]  # (name, CEFR level) of every working language, the activity's first
    relevant: int  # how many of them are the activity's (the row shows these, the breakdown all)
    tags: list[tuple[str, bool]]  # the main reasons, short: (text, counts against)
    pending: Pending | None


@dataclass(frozen=True)
class Refusal:
    """A candidate the hard rules refuse, with the score they would have had and every rule they break."""

    expert: Expert
    score: float
    broken: list[Violation]


@dataclass(frozen=True)
class Comparison:
    rows: list[Row]
    refused: list[Refusal]
    considered: int  # matchable experts working in the activity's languages (within the filters)
    eligible: int  # of whom pass every hard rule (and, asked, are free on the dates)
    live: list[Deployment]  # already on this slot (proposed to confirmed): listed apart from both lists


def suggestion_form(session: Session, args: Mapping[str, Any]) -> SuggestionFilterForm:
    """The page's filters, read from the query, with the roster's own countries and working languages."""
    form = SuggestionFilterForm(args)
    loc = locale_code()

    def named() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """The roster's countries and working languages, named and in order (two scans of the roster's 11,000
        experts at scale 100: remembered per language until the experts change)."""
        countries = session.scalars(select(Expert.country_code).distinct())
        spoken = session.scalars(select(ExpertLanguage.language).where(ExpertLanguage.level.in_(WORKING_LEVELS))
                                 .distinct())
        return (tuple(sorted(((code, country_name(code, loc)) for code in countries), key=lambda pair: pair[1])),
                tuple(sorted(((code, language_name(code)) for code in spoken), key=lambda pair: pair[1])))

    countries, languages = remember(session, ("suggestions.choices", loc), named, told=False)
    form.country.choices = options(countries, empty=_("Any"))
    form.language.choices = options(languages, empty=_("Any"))
    form.type.choices = enum_options(ExpertType, empty=_("Any"))
    form.gender.choices = enum_options(Gender, empty=_("Any"))
    form.validate()
    return form


def _narrowing(form: SuggestionFilterForm) -> list:
    """The conditions of the filters set (and valid) on experts: they narrow the warm pool by one query for ids."""
    def given(field: Any) -> bool:
        return bool(field.data) and not field.errors

    conditions = []
    if given(form.country):
        conditions.append(Expert.country_code == form.country.data)
    if given(form.language):
        conditions.append(Expert.id.in_(select(ExpertLanguage.expert_id).where(
            ExpertLanguage.language == form.language.data, ExpertLanguage.level.in_(WORKING_LEVELS))))
    if given(form.type):
        conditions.append(Expert.type == ExpertType(form.type.data))
    if given(form.gender):
        conditions.append(Expert.gender == Gender(form.gender.data))
    if given(form.q):
        conditions.append(matches(form.q.data, Expert.search_key))
    return conditions


def pending_clashes(session: Session, wanted: Slot) -> dict[int, Pending]:
    """Experts proposed or invited elsewhere on dates that clash with the slot's (travel days counted): not
    refused, since nobody has accepted yet, but not free either. Expert id -> the first such activity."""
    reach = timedelta(days=2 * TRAVEL_DAYS)  # nothing further apart can clash, remote or not
    rows = session.execute(
        select(Deployment.expert_id, Activity.title, Activity.start_date, Activity.end_date, Activity.is_remote)
        .join(Activity, Deployment.activity_id == Activity.id)
        .where(Deployment.status.in_(PENDING), Deployment.slot_id != wanted.slot_id,
               Activity.start_date <= wanted.period.end + reach, Activity.end_date >= wanted.period.start - reach)
        .order_by(Activity.start_date, Deployment.id))
    found: dict[int, Pending] = {}
    for expert_id, title, start, end, remote in rows:
        if expert_id not in found and clashes(Booking(Period(start, end), remote, title), wanted):
            found[expert_id] = Pending(title, start, end)
    return found


def working_languages(spoken: Mapping[str, str], wanted: Slot) -> tuple[list[tuple[str, str]], int]:
    """The candidate's working languages (B2+) as (name, level), the activity's first, then the best spoken;
    and how many are the activity's."""
    first = {code: n for n, code in enumerate(dict.fromkeys((wanted.language, *wanted.activity_languages)))}
    codes = sorted((code for code, level in spoken.items() if level in WORKING_LEVELS),
                   key=lambda code: (first.get(code, len(first)), CEFR_BEST_FIRST.index(spoken[code]), code))
    return [(language_name(code), spoken[code]) for code in codes], sum(code in first for code in codes)


def compare(session: Session, slot: ExpertSlot, form: SuggestionFilterForm, *, today: date,
            now: datetime) -> Comparison:
    """The slot's best candidates within the filters, and the best of those the hard rules refuse."""
    wanted = slot_of(session, slot)
    live = [d for d in session.scalars(select(Deployment).where(Deployment.slot_id == slot.id)
                                       .options(selectinload(Deployment.expert))) if d.status in LIVE]
    pool = candidate_pool(session, today=today, now=now)
    within = ~pool.among(d.expert_id for d in live)
    if narrowing := _narrowing(form):
        within &= pool.among(session.scalars(select(Expert.id).where(*narrowing)))
    pending = pending_clashes(session, wanted)
    free = within & ~pool.among(pending) if form.free.data else within
    ranked = pool.rank(wanted, limit=SHOWN, within=free)
    # Those who would have ranked among the rows shown (all of them when fewer than a page pass the rules).
    floor = ranked[-1].score if len(ranked) == SHOWN else float("-inf")
    refused = [(c, s) for c in pool.refused(wanted, limit=REFUSED_SHOWN, within=within)
               if (s := score(c, wanted).score) >= floor]
    ids = [r.candidate.expert_id for r in ranked] + [c.expert_id for c, _s in refused]
    experts = {e.id: e for e in session.scalars(
        select(Expert).where(Expert.id.in_(ids)).options(selectinload(Expert.institution)))}
    rows = [Row(r, experts[r.candidate.expert_id], *working_languages(r.candidate.languages, wanted),
                main_tags(r.parts), pending.get(r.candidate.expert_id)) for r in ranked]
    return Comparison(
        rows=rows,
        refused=[Refusal(experts[c.expert_id], s, violations(c, wanted)) for c, s in refused],
        considered=int((pool.speakers(wanted) & free).sum()),
        eligible=int(pool.allowed(wanted, free).sum()),
        live=live,
    )
