"""A record's history in words, for its page: one chronological list.

The lifecycle's rows (who moved the record, when, from which status to which, why) are what everyone who
sees the page reads. Programme staff read the audit trail's changes in the same list: a transition's
entry is merged into its row (it adds the fields changed with it, a postponement's dates), the creation's
entry into the first row (its values folded away), and the edits in between come in their place, with
names for ids and values in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from flask import url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from ..core.i18n import _, _l
from ..core.labels import label
from ..extensions import db
from .display import Change, EntryView, field_label, view_entries
from .services import recent_history

HISTORY_WINDOW = 30  # audit entries merged on a page; the record's audit page has them all

CREATED: dict[str | None, Any] = {
    "action": _l("%(who)s opened the Action: %(status)s"), "activity": _l("%(who)s planned the activity: %(status)s"),
    "request": _l("%(who)s drafted the request: %(status)s"), None: _l("%(who)s created it: %(status)s"),
}
CREATED_PLAIN: dict[str | None, Any] = {  # the audit's creation entry, when the lifecycle's row is not at hand
    "action": _l("%(who)s opened the Action"), "activity": _l("%(who)s planned the activity"),
    "request": _l("%(who)s drafted the request"), None: _l("%(who)s created it"),
}
MOVED = _l("%(who)s changed the status: %(from)s → %(to)s")
EDITED = _l("%(who)s changed:")
PART_EVENTS: dict[str, Any] = {
    "created": _l("%(who)s added %(part)s"), "deleted": _l("%(who)s removed %(part)s"),
    "updated": _l("%(who)s changed %(part)s"),
}
PART_NOUNS: dict[str, Any] = {
    "deliverable": _l("a deliverable"), "translation": _l("a translation of the public texts"),
    "final_report": _l("the final report"), "expert_slot": _l("an expert slot"),
    "consultation": _l("a Steering Committee consultation"), "decision": _l("the committee's decision"),
    "unavailability": _l("an unavailable period"),
    "budget_line": _l("a budget line"), "cost_line": _l("a cost line"),
    "budget_overrun": _l("a budget overrun (the category went past its budget)"),
    "logistics": _l("the mission logistics"), "checklist_item": _l("a checklist item"),
    "letter_acceptance": _l("the acceptance of the letter of assignment"), "claim_item": _l("an expense item"),
    "assignment_letter": _l("the letter of assignment's current version"),
    "results_framework": _l("the results framework"), "expected_result": _l("an expected result"),
    "indicator": _l("an indicator"), "measurement": _l("a measurement"),
    "deliverable_stage": _l("news of a deliverable"), "document": _l("a document"),
    "participants": _l("a group of participants"),
}


@dataclass
class HistoryItem:
    """One moment of the record's life, as a sentence with its details."""

    at: datetime
    kind: str  # "created", "transition" or "change"
    sentence: Markup  # "<strong>Ana Officer</strong> changed the status"
    from_status: StrEnum | None = None
    to_status: StrEnum | None = None
    reason: str | None = None
    note: str | None = None  # which part ("“Handbook”", "2 × Expert (…)")
    changes: list[Change] = field(default_factory=list)
    folded: str | None = None  # the values as first entered (or last held) are shown on demand, under these words
    earlier_dates: tuple[date, date | None] | None = None  # a postponement: the dates it had


@dataclass
class History:
    items: list[HistoryItem]
    earlier: int = 0  # audit entries older than the ones merged
    total: int = 0
    full_url: str | None = None


def _say(template: Any, who: str, **parts: Any) -> Markup:
    """A sentence with the actor's name in bold; the names are escaped, the catalogue's words are not."""
    return Markup(str(template)) % {"who": Markup("<strong>%s</strong>") % who, **{k: escape(v) for k, v in parts.items()}}


def _moved(who: str, old: Any, new: Any) -> Markup:
    """"Ana Officer changed the status: Accepted → <strong>Assessment</strong>"."""
    return _say(MOVED, who, **{"from": old, "to": Markup("<strong>%s</strong>") % new})


def _actor(row: Any) -> str:
    actor = getattr(row, "actor", None)
    return actor.name if actor is not None else _("System")


def _earlier(row: Any) -> tuple[date, date | None] | None:
    start = getattr(row, "previous_start", None)
    return (start, getattr(row, "previous_end", None)) if start else None


def _from_row(row: Any, object_type: str | None) -> HistoryItem:
    who = _actor(row)
    if row.from_status is None:
        sentence = _say(CREATED.get(object_type, CREATED[None]), who,
                        status=Markup("<strong>%s</strong>") % label(row.to_status))
        return HistoryItem(at=row.at, kind="created", sentence=sentence, to_status=row.to_status, reason=row.reason)
    return HistoryItem(at=row.at, kind="transition", sentence=_moved(who, label(row.from_status), label(row.to_status)),
                       from_status=row.from_status, to_status=row.to_status, reason=row.reason,
                       earlier_dates=_earlier(row))


def _match(rows: list[Any], pair: Sequence[Any], at: datetime) -> Any | None:
    """The lifecycle row an audit transition entry records: same statuses, the nearest in time."""
    candidates = [r for r in rows if r.from_status is not None and [r.from_status.value, r.to_status.value] == list(pair)]
    if not candidates:
        return None
    found = min(candidates, key=lambda r: abs((_aware(r.at) - _aware(at)).total_seconds()))
    rows.remove(found)
    return found


def _folded(event: str) -> str | None:
    return {"created": _("What was entered"), "deleted": _("What it held")}.get(event)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _entry_item(view: EntryView, rows: list[Any], creation: list[Any], object_type: str | None) -> HistoryItem:
    """An audit entry as an item; its lifecycle row, when it has one, is taken out of `rows`."""
    entry = view.entry
    part = (entry.detail or {}).get("part")
    if part:
        noun = PART_NOUNS.get(part, str(view.what).lower())
        sentence = _say(PART_EVENTS.get(entry.event, PART_EVENTS["updated"]), view.actor, part=noun)
        return HistoryItem(at=entry.at, kind="change", sentence=sentence, note=view.note, changes=view.changes,
                           folded=_folded(entry.event))
    if entry.event == "created":
        row = creation.pop() if creation else None
        if row is not None:
            rows.remove(row)
            item = _from_row(row, object_type)
            item.changes, item.folded = view.changes, _folded("created")
            return item
        return HistoryItem(at=entry.at, kind="created", sentence=_say(CREATED_PLAIN.get(object_type, CREATED_PLAIN[None]),
                                                                        view.actor), changes=view.changes, folded=_folded("created"))
    status = (entry.changes or {}).get("status")
    if entry.event == "transition" and isinstance(status, list) and len(status) == 2:
        row = _match(rows, status, entry.at)
        others = [c for c in view.changes if c.field != field_label("status")]
        if row is not None:
            item = _from_row(row, object_type)
            item.changes = others
            item.reason = item.reason or view.note
            return item
        moved = next((c for c in view.changes if c.field == field_label("status")), None)
        sentence = _moved(view.actor, moved.old, moved.new) if moved else _say(EDITED, view.actor)
        return HistoryItem(at=entry.at, kind="transition", sentence=sentence, reason=view.note, changes=others)
    return HistoryItem(at=entry.at, kind="change", sentence=_say(EDITED, view.actor), changes=view.changes,
                       note=view.note)


def merge(session: Session, object_type: str | None, transitions: Iterable[Any], entries: Sequence[Any]) -> list[HistoryItem]:
    """The lifecycle rows and the audit entries (newest first, as read) as one list, oldest first."""
    rows = sorted(transitions, key=lambda r: (_aware(r.at), r.id or 0))
    creation = [r for r in rows if r.from_status is None][:1]
    items = [_entry_item(view, rows, creation, object_type) for view in reversed(view_entries(session, entries))]
    items += [_from_row(row, object_type) for row in rows]  # the rows no entry recorded (older, or not staff)
    return sorted(items, key=lambda i: _aware(i.at))


def record_history(object_type: str | None, object_id: int | None, transitions: Iterable[Any]) -> History:
    """The history a record's page shows: its lifecycle for whoever sees the page; its changes, too, for staff."""
    entries: list[Any] = []
    total = 0
    if object_type and object_id and current_user.is_authenticated and current_user.is_staff:
        entries, total = recent_history(db.session, object_type, object_id, limit=HISTORY_WINDOW)
    items = merge(db.session, object_type, transitions, entries)
    earlier = max(total - len(entries), 0)
    url = url_for("audit.record", object_type=object_type, object_id=object_id) if earlier else None
    return History(items=items, earlier=earlier, total=total, full_url=url)
