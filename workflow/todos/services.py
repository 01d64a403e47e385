"""The to-dos of a person now, oldest and most urgent first, and their count for the menu.

Each role reads a few sources (`queries.py`); a source is one SQL statement and how one of its rows reads as a
to-do: what to do, by when, and the page where it is done. A to-do is never stored: once the step is taken, the
statement no longer finds it, so it drops off without anyone ticking it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from babel import Locale
from flask import url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..core.i18n import _, ngettext
from ..core.labels import label
from ..reference.choices import locale_code
from . import queries as q

LIMIT = 20  # rows read per source on the home page


@dataclass(frozen=True)
class Todo:
    kind: str  # the source's code: "clarification", "release", "report_overdue" …
    title: str  # what to do, in the reader's language
    link: str  # the page where it is done
    due: date | datetime | None = None
    overdue: bool = False
    since: datetime | None = None  # how long it has waited

    def sort_key(self) -> tuple:
        due = self.due
        if isinstance(due, date) and not isinstance(due, datetime):
            due = datetime.combine(due, time.max, tzinfo=UTC)
        far = datetime.max.replace(tzinfo=UTC)
        return (not self.overdue, due or far, self.since or far)


@dataclass(frozen=True)
class Source:
    kind: str
    statement: Callable[[User, datetime], Select]
    todo: Callable[[Any, datetime], Todo]


def _past(due: date | datetime | None, now: datetime) -> bool:
    if due is None:
        return False
    return due < now if isinstance(due, datetime) else due < now.date()


def _make(kind: str, title: Callable[[Any], str], link: Callable[[Any], str],
          due: Callable[[Any], date | datetime | None] = lambda row: None) -> Callable[[Any, datetime], Todo]:
    def todo(row: Any, now: datetime) -> Todo:
        when = due(row)
        return Todo(kind, title(row), link(row), when, _past(when, now), row.since)
    return todo


def _deployment(row: Any) -> str:
    return url_for("deployments.show", deployment_id=row.id)


def _request(row: Any) -> str:
    return url_for("requests.show", request_id=row.id)


def _unstaffed(row: Any) -> str:
    """Which slot waits: an activity may have several, told apart by their role and language."""
    language = Locale.parse(locale_code()).languages.get(row.language, row.language)
    return ngettext("Find experts for “%(activity)s”: %(role)s, %(language)s (%(num)d open place)",
                    "Find experts for “%(activity)s”: %(role)s, %(language)s (%(num)d open places)",
                    row.open, role=label(row.role).lower(), language=language, activity=row.activity)


def _failed(row: Any) -> str:
    return ngettext("%(num)d e-mail failed: check and retry it.", "%(num)d e-mails failed: check and retry them.",
                    row.failed)


REQUESTER = (
    Source("clarification", lambda user, now: q.requests_in(user, q.RequestStatus.CLARIFICATION_REQUESTED),
           _make("clarification", lambda r: _("Answer the question asked about “%(title)s”", title=r.title), _request)),
    Source("draft", lambda user, now: q.requests_in(user, q.RequestStatus.DRAFT),
           _make("draft", lambda r: _("Finish and submit your draft “%(title)s”", title=r.title), _request)),
)

STEERING = (
    Source("consultation", lambda user, now: q.consultations_unanswered(user),
           _make("consultation", lambda r: _("Give your position on “%(title)s”", title=r.title), _request,
                 lambda r: r.deadline)),
)

FOCAL_POINT = (
    Source("release", lambda user, now: q.releases_awaited(user.country_code or ""),
           _make("release", lambda r: _("Release %(expert)s for “%(activity)s”", expert=r.expert, activity=r.activity),
                 lambda r: url_for("deployments.releases") + f"#deployment-{r.id}", lambda r: r.start_date)),
    Source("nomination", lambda user, now: q.nominations_awaited(user, now),
           _make("nomination", lambda r: _("Propose experts for “%(activity)s”", activity=r.activity),
                 lambda r: url_for("calls.show", call_id=r.id), lambda r: r.deadline)),
)

EXPERT = (
    Source("invitation", lambda user, now: q.invitations_open(user),
           _make("invitation", lambda r: _("Answer the invitation to “%(activity)s”", activity=r.activity), _deployment,
                 lambda r: r.since + q.EXPIRES_AFTER if r.since else None)),
    Source("mission", q.missions_coming,
           _make("mission", lambda r: _("Your mission “%(activity)s” starts", activity=r.activity), _deployment,
                 lambda r: r.start_date)),
    Source("report", q.reports_owed,
           _make("report", lambda r: _("Write your mission report for “%(activity)s”", activity=r.activity),
                 _deployment, lambda r: r.end_date + q.REPORT_DUE_AFTER)),
)

STAFF = (
    Source("review", lambda user, now: q.requests_to_review(),
           _make("review", lambda r: _("Review the request “%(title)s”", title=r.title), _request)),
    Source("decision", lambda user, now: q.decisions_to_record(now),
           _make("decision", lambda r: _("Record the decision on “%(title)s”", title=r.title),
                 lambda r: url_for("governance.decide", request_id=r.id), lambda r: r.deadline)),
    Source("unstaffed", lambda user, now: q.slots_unstaffed(now),
           _make("unstaffed", _unstaffed,
                 lambda r: url_for("deployments.suggestions", slot_id=r.id), lambda r: r.start_date)),
    Source("unanswered", lambda user, now: q.invitations_unanswered(now),
           _make("unanswered", lambda r: _("%(expert)s has not answered the invitation to “%(activity)s”",
                                           expert=r.expert, activity=r.activity), _deployment,
                 lambda r: r.since + q.EXPIRES_AFTER)),
    Source("report_overdue", lambda user, now: q.reports_overdue(now),
           _make("report_overdue", lambda r: _("Mission report overdue: %(expert)s on “%(activity)s”",
                                               expert=r.expert, activity=r.activity), _deployment,
                 lambda r: r.end_date + q.REPORT_DUE_AFTER)),
    Source("failed_reminders", lambda user, now: q.failed_reminders(),
           _make("failed_reminders", _failed, lambda r: url_for("reminders.outbox", show="failed"))),
    Source("failed_notifications", lambda user, now: q.failed_notification_emails(),
           _make("failed_notifications", _failed, lambda r: url_for("reminders.outbox", show="failed"))),
)

ADMIN_RELEASES = (
    Source("release", lambda user, now: q.releases_awaited(None), FOCAL_POINT[0].todo),
)

BY_ROLE: dict[Role, tuple[Source, ...]] = {
    Role.REQUESTER: REQUESTER,
    Role.STEERING: STEERING,
    Role.MS_FOCAL_POINT: FOCAL_POINT,
    Role.EXPERT: EXPERT,
    Role.OFFICER: STAFF,
    Role.ADMIN: STAFF + ADMIN_RELEASES,
}


def sources_for(user: User) -> tuple[Source, ...]:
    return BY_ROLE.get(user.role, ())


@dataclass(frozen=True)
class TodoCount:
    """The menu's number: the to-dos the home page lists, and whether a source has more than it lists."""

    number: int
    more: bool

    def __str__(self) -> str:
        return f"{self.number}+" if self.more else str(self.number)


@dataclass(frozen=True)
class Todos:
    items: list[Todo]
    more: bool  # a source had more than LIMIT rows (the list shows the LIMIT longest waiting)

    @property
    def count(self) -> TodoCount:
        return TodoCount(len(self.items), self.more)


def todo_list(session: Session, user: User, now: datetime) -> Todos:
    """Everything waiting for `user` now (up to LIMIT per source): overdue first, then by due date, then the
    longest waiting."""
    found: list[Todo] = []
    more = False
    for source in sources_for(user):
        stmt = source.statement(user, now)
        rows = session.execute(stmt.order_by(stmt.selected_columns.since).limit(LIMIT + 1)).all()
        more = more or len(rows) > LIMIT
        found.extend(source.todo(row, now) for row in rows[:LIMIT])  # the longest waiting first
    return Todos(sorted(found, key=Todo.sort_key), more)


def todos_for(session: Session, user: User, now: datetime) -> list[Todo]:
    return todo_list(session, user, now).items


def todo_count(session: Session, user: User, now: datetime) -> TodoCount:
    """How many to-dos the home page lists for `user` (up to LIMIT per source), in one SQL query, and whether
    a source has more than it lists (the menu then shows "20+")."""
    counts = [select(func.count()).select_from(source.statement(user, now).limit(LIMIT + 1).subquery())
              .scalar_subquery() for source in sources_for(user)]
    if not counts:
        return TodoCount(0, False)
    found = session.execute(select(*counts)).one()
    return TodoCount(sum(min(n, LIMIT) for n in found), any(n > LIMIT for n in found))
