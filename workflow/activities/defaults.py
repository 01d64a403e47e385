"""What a new activity of an Action starts with on its form: the Action's context, for staff to change.

Its country is the Action's (none for a regional Action: they work in several); its languages are those of
the Action's latest activity or, before its first, the official languages of its countries that the
programme works in; its expert slots start in the Action's thematic area and the activity's first language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.languages import get_official_languages

from ..reference.choices import LANGUAGES
from .lifecycle import ActivityStatus

if TYPE_CHECKING:
    from ..actions.models import Action
    from .models import Activity


@dataclass(frozen=True)
class ActivityDefaults:
    country_code: str | None
    languages: tuple[str, ...]
    thematic_area_id: int | None


def defaults_for(action: Action, activity: Activity | None = None) -> ActivityDefaults:
    """The defaults of an activity of `action`; for an existing `activity`, its own languages come first."""
    languages = tuple(activity.languages) if activity is not None and activity.languages else _languages(action)
    return ActivityDefaults(country_code=None if action.is_regional else action.country_code,
                            languages=languages, thematic_area_id=action.thematic_area_id)


def _languages(action: Action) -> tuple[str, ...]:
    held = [a for a in action.activities if a.status is not ActivityStatus.CANCELLED and a.languages]
    if held:
        return tuple(max(held, key=lambda a: (a.start_date, a.id)).languages)
    return official_languages(action.countries_covered)


def official_languages(countries: list[str]) -> tuple[str, ...]:
    """The official languages (de facto too: Mexico's Spanish) of these countries that the programme works in."""
    found: dict[str, None] = {}
    for country in countries:
        for code in get_official_languages(country, de_facto=True):
            if code in LANGUAGES:
                found.setdefault(code)
    return tuple(found)
