"""An Action (loaded as `queries.activity_chunks` loads it) as the `IatiActivity` record it publishes.

Its results come from one function, `workflow.iati.results.results_of`."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Sequence

from ..actions.lifecycle import ActionStatus
from ..actions.models import Action
from . import codes
from .queries import Held, Party, ResultRow
from .records import (
    DEFAULT_LANGUAGE,
    ActivityDate,
    Coded,
    Document,
    IatiActivity,
    IatiSettings,
    Narrative,
    Organisation,
)
from .results import results_of


def shares(count: int) -> list[int]:
    """`count` whole percentages adding up to 100, the first taking what does not divide."""
    if count <= 0:
        return []
    base = 100 // count
    return [base + 100 - base * count] + [base] * (count - 1)


def texts(action: Action, name: str) -> tuple[Narrative, ...]:
    """The Action's field as written, and its translations into other languages."""
    original = getattr(action, name).strip()
    if not original:
        return ()
    translated = [Narrative(getattr(t, name).strip(), t.locale) for t in action.translations
                  if t.locale != DEFAULT_LANGUAGE and getattr(t, name).strip()]
    return (Narrative(original), *translated)


def organisations(settings: IatiSettings, beneficiaries: Sequence[Party],
                  experts: Sequence[Party]) -> tuple[Organisation, ...]:
    """The funder, the programme (implementing), the beneficiaries (accountable) and the experts'
    administrations (implementing beside it)."""
    found = [Organisation(settings.funder_name, codes.FUNDING, settings.funder_ref or None),
             Organisation(settings.organisation_name, codes.IMPLEMENTING, settings.organisation_ref,
                          settings.organisation_type)]
    found += [Organisation(p.label, codes.ACCOUNTABLE, type=codes.ORGANISATION_TYPES.get(p.kind, codes.GOVERNMENT))
              for p in beneficiaries]
    found += [Organisation(p.label, codes.IMPLEMENTING, type=codes.ORGANISATION_TYPES.get(p.kind, codes.GOVERNMENT))
              for p in experts]
    return tuple(found)


def dates(action: Action, held: Held | None) -> tuple[ActivityDate, ...]:
    """Planned start and end; actual start once an activity took place; actual end once closed (the end of
    its real period, `Action.span`: the later of its planned end and its last activity)."""
    found = [ActivityDate(codes.PLANNED_START, action.planned_start)]
    if held and held.first_delivered:
        found.append(ActivityDate(codes.ACTUAL_START, held.first_delivered))
    if action.planned_end:
        found.append(ActivityDate(codes.PLANNED_END, action.planned_end))
    if action.status is ActionStatus.CLOSED:
        ends = [day for day in (action.planned_end, held.last_end if held else None) if day]
        if ends:
            found.append(ActivityDate(codes.ACTUAL_END, max(ends)))
    return tuple(found)


def sectors(action: Action) -> tuple[Coded, ...]:
    found = [codes.THEME_SECTORS.get(action.thematic_area.code, "15190")]
    for subtopic in action.subtopics:
        code = codes.SUBTOPIC_SECTORS.get(subtopic.code)
        if code and code not in found:
            found.append(code)
    return tuple(Coded(code, codes.SECTORS[code], share) for code, share in zip(found, shares(len(found)), strict=True))


def recipients(action: Action, country_name: Callable[[str], str]) -> tuple[tuple[Coded, ...], Coded | None]:
    """A national Action's country; a regional Action's region."""
    if not action.is_regional and action.country_code:
        return (Coded(action.country_code, country_name(action.country_code)),), None
    code, name = codes.REGIONS.get(action.region.code, codes.UNSPECIFIED_REGION)
    return (), Coded(code, name)


def documents(action: Action, page_url: str) -> tuple[Document, ...]:
    """The Action's public page, and every deliverable with a public link (uploaded files stay behind sign-in)."""
    found = [Document(page_url, action.title, codes.ACTIVITY_PAGE, language=DEFAULT_LANGUAGE)]
    for deliverable in action.deliverables:
        if deliverable.url:
            kind = mimetypes.guess_type(deliverable.url.split("?")[0])[0] or "text/html"
            found.append(Document(deliverable.url, deliverable.title, codes.RESULTS_DOCUMENT, kind,
                                  deliverable.language or None, deliverable.issued_on))
    return tuple(found)


def activity_record(action: Action, settings: IatiSettings, *, page_url: str, country_name: Callable[[str], str],
                    beneficiaries: Sequence[Party] = (), experts: Sequence[Party] = (),
                    held: Held | None = None, results: Sequence[ResultRow] = ()) -> IatiActivity:
    countries, region = recipients(action, country_name)
    summary = texts(action, "summary")
    gender = any(s.code == codes.GENDER_SUBTOPIC for s in action.subtopics)
    return IatiActivity(
        identifier=settings.identifier(action), last_updated=action.updated_at,
        titles=texts(action, "title"), general=summary or texts(action, "objective"),
        objectives=texts(action, "objective"), reporting_org=settings.reporting_org,
        participating_orgs=organisations(settings, beneficiaries, experts), status=codes.ACTIVITY_STATUS[action.status],
        dates=dates(action, held), recipient_countries=countries, recipient_region=region, sectors=sectors(action),
        gender_marker=codes.SIGNIFICANT if gender else codes.NOT_TARGETED, documents=documents(action, page_url),
        results=results_of(action, results),
    )
