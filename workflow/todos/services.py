"""The to-dos of a person now, oldest and most urgent first, and their count for the menu.

Each role reads a few sources (`queries.py`); a source is one SQL statement and how one of its rows reads as a
to-do: what to do, by when, and the page where it is done. A to-do is never stored: once the step is taken, the
statement no longer finds it, so it drops off without anyone ticking it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cached_property, lru_cache
from types import SimpleNamespace
from typing import Any

from babel import Locale
from flask import url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..core.figures import remember
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
    statement: Callable[[], Select]  # with the parameters of `queries.P`: built once per process
    todo: Callable[[Any, datetime], Todo]
    # For a statement that reads only the portfolio's tables and not the time: whom its rows are the same for
    # (a member state's focal points …). Its rows are then read once per change of the portfolio
    # (workflow.core.figures), for the home page and the menu's count alike.
    shared: Callable[[User], Hashable] | None = None

    @cached_property
    def listed(self) -> Select:
        """The LIMIT + 1 longest waiting rows (one more than listed: whether there are more)."""
        stmt = self.statement()
        return stmt.order_by(stmt.selected_columns.since).limit(LIMIT + 1)

    def rows(self, session: Session, user: User, now: datetime) -> list[Any]:
        """A shared source's rows, remembered for everyone they are the same for."""
        assert self.shared is not None
        found = remember(session, ("todos", self.kind, self.shared(user)), lambda: _read(session, self, user, now))
        return [SimpleNamespace(**row) for row in found]


def _read(session: Session, source: Source, user: User, now: datetime) -> tuple[dict[str, Any], ...]:
    return tuple(row._asdict() for row in session.execute(source.listed, q.values(user, now)))


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


def _claim(row: Any) -> str:
    return url_for("missions.claim", claim_id=row.id)


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
    Source("clarification", lambda: q.requests_in(q.RequestStatus.CLARIFICATION_REQUESTED),
           _make("clarification", lambda r: _("Answer the question asked about “%(title)s”", title=r.title), _request)),
    Source("draft", lambda: q.requests_in(q.RequestStatus.DRAFT),
           _make("draft", lambda r: _("Finish and submit your draft “%(title)s”", title=r.title), _request)),
    Source("check_in", q.check_ins_owed,
           _make("check_in", lambda r: _("Send news of the deliverables of %(name)s (%(months)s months after it "
                                         "closed)", name=r.title, months=r.months),
                 lambda r: url_for("results.show", action_id=r.id, _anchor="deliverable-news"))),
)

STEERING = (
    Source("consultation", q.consultations_unanswered,
           _make("consultation", lambda r: _("Give your position on “%(title)s”", title=r.title), _request,
                 lambda r: r.deadline)),
)

FOCAL_POINT = (
    Source("release", q.releases_awaited,
           _make("release", lambda r: _("Release %(expert)s for “%(activity)s”", expert=r.expert, activity=r.activity),
                 lambda r: url_for("deployments.releases") + f"#deployment-{r.id}", lambda r: r.start_date),
           shared=lambda user: ("member state", user.country_code or "")),
    Source("nomination", q.nominations_awaited,
           _make("nomination", lambda r: _("Propose experts for “%(activity)s”", activity=r.activity),
                 lambda r: url_for("calls.show", call_id=r.id), lambda r: r.deadline)),
)

EXPERT = (
    Source("invitation", q.invitations_open,
           _make("invitation", lambda r: _("Answer the invitation to “%(activity)s”", activity=r.activity), _deployment,
                 lambda r: r.since + q.EXPIRES_AFTER if r.since else None)),
    Source("mission", q.missions_coming,
           _make("mission", lambda r: _("Your mission “%(activity)s” starts", activity=r.activity), _deployment,
                 lambda r: r.start_date)),
    Source("report", q.reports_owed,
           _make("report", lambda r: _("Write your mission report for “%(activity)s”", activity=r.activity),
                 _deployment, lambda r: r.end_date + q.REPORT_DUE_AFTER)),
    Source("checklist", q.checklist_open,
           _make("checklist", lambda r: _("Before your mission “%(activity)s”: %(item)s", activity=r.activity,
                                          item=r.text),
                 lambda r: url_for("missions.show", deployment_id=r.deployment_id) + "#checklist",
                 lambda r: r.start_date)),
    Source("letter", q.letters_unaccepted,
           _make("letter", lambda r: _("Accept your letter of assignment for “%(activity)s”", activity=r.activity),
                 lambda r: url_for("missions.show", deployment_id=r.id) + "#letters", lambda r: r.start_date)),
    Source("letter_changed", q.letters_changed,
           _make("letter_changed", lambda r: _("Your letter of assignment for “%(activity)s” changed: read and accept "
                                               "the updated letter", activity=r.activity),
                 lambda r: url_for("missions.show", deployment_id=r.id) + "#letters", lambda r: r.start_date)),
    Source("claim_returned", lambda: q.claims_in(q.ClaimStatus.RETURNED, own=True),
           _make("claim_returned", lambda r: _("Correct and resubmit your expense claim for “%(activity)s”",
                                               activity=r.activity), _claim)),
)

STAFF = (
    Source("review", q.requests_to_review,
           _make("review", lambda r: _("Review the request “%(title)s”", title=r.title), _request)),
    Source("decision", q.decisions_to_record,
           _make("decision", lambda r: _("Record the decision on “%(title)s”", title=r.title),
                 lambda r: url_for("governance.decide", request_id=r.id), lambda r: r.deadline)),
    Source("unstaffed", q.slots_unstaffed,
           _make("unstaffed", _unstaffed,
                 lambda r: url_for("deployments.suggestions", slot_id=r.id), lambda r: r.start_date)),
    Source("unanswered", q.invitations_unanswered,
           _make("unanswered", lambda r: _("%(expert)s has not answered the invitation to “%(activity)s”",
                                           expert=r.expert, activity=r.activity), _deployment,
                 lambda r: r.since + q.EXPIRES_AFTER)),
    Source("report_overdue", q.reports_overdue,
           _make("report_overdue", lambda r: _("Mission report overdue: %(expert)s on “%(activity)s”",
                                               expert=r.expert, activity=r.activity), _deployment,
                 lambda r: r.end_date + q.REPORT_DUE_AFTER)),
    Source("claim_submitted", lambda: q.claims_in(q.ClaimStatus.SUBMITTED),
           _make("claim_submitted", lambda r: _("Approve or return the expense claim of %(expert)s for “%(activity)s”",
                                                expert=r.expert, activity=r.activity), _claim)),
    Source("over_budget", q.budgets_over,
           _make("over_budget", lambda r: _("%(name)s is over budget in %(category)s: raise the budget or lower the "
                                            "costs", name=r.name, category=label(r.category).lower()),
                 lambda r: url_for("actions.show", action_id=r.action_id, _anchor="money"))),
    Source("failed_reminders", q.failed_reminders,
           _make("failed_reminders", _failed, lambda r: url_for("reminders.outbox", show="failed"))),
    Source("failed_notifications", q.failed_notification_emails,
           _make("failed_notifications", _failed, lambda r: url_for("reminders.outbox", show="failed"))),
)

ADMIN_RELEASES = (
    Source("release", lambda: q.releases_awaited(every_state=True), FOCAL_POINT[0].todo,
           shared=lambda user: ("every state",)),
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
    for source, rows in zip(sources_for(user), _rows(session, user, now), strict=True):
        more = more or len(rows) > LIMIT
        found.extend(source.todo(row, now) for row in rows[:LIMIT])  # the longest waiting first
    return Todos(sorted(found, key=Todo.sort_key), more)


def _rows(session: Session, user: User, now: datetime) -> list[list[Any]]:
    """Each source's rows: a shared source's remembered on its own, the others' read together and remembered for the
    people they are the same for (as the count is)."""
    sources = sources_for(user)
    unshared = tuple(source for source in sources if source.shared is None)
    read = iter(remember(session, _key("todos.rows", user, unshared, now),
                         lambda: tuple(_read(session, source, user, now) for source in unshared)) if unshared else ())
    return [source.rows(session, user, now) if source.shared else [SimpleNamespace(**row) for row in next(read)]
            for source in sources]


def todos_for(session: Session, user: User, now: datetime) -> list[Todo]:
    return todo_list(session, user, now).items


@lru_cache(maxsize=16)
def _counting(sources: tuple[Source, ...]) -> tuple[Select, tuple[str, ...]]:
    """One statement counting the rows of every source (up to LIMIT + 1 each), built once per role, and the
    parameters of `queries.WHO` it reads (a role whose sources read none counts the same for all its people)."""
    stmt = select(*(select(func.count()).select_from(source.statement().limit(LIMIT + 1).subquery())
                    .scalar_subquery() for source in sources))
    return stmt, tuple(name for name in q.WHO if name in stmt.compile().params)


def _key(kind: str, user: User, sources: tuple[Source, ...], now: datetime) -> Hashable:
    """What `sources`' rows are remembered under: the role, the person's parameters they read, and the minute."""
    values = q.values(user, now)
    return kind, user.role, tuple(values[name] for name in _counting(sources)[1]), now.replace(second=0, microsecond=0)


def todo_count(session: Session, user: User, now: datetime) -> TodoCount:
    """How many to-dos the home page lists for `user` (up to LIMIT per source), and whether a source has more than
    it lists (the menu then shows "20+").

    One SQL query, remembered (workflow.core.figures) for the people it counts the same for, until a table it reads
    changes or the minute turns: a step taken shows on the next page; a to-do that comes with the time alone (an
    invitation unanswered for three days) shows within the minute."""
    sources = sources_for(user)
    found = [len(source.rows(session, user, now)) for source in sources if source.shared is not None]
    unshared = tuple(source for source in sources if source.shared is None)
    if unshared:
        stmt = _counting(unshared)[0]
        found.extend(remember(session, _key("todos.count", user, unshared, now),
                              lambda: tuple(session.execute(stmt, q.values(user, now)).one()), told=False))
    return TodoCount(sum(min(n, LIMIT) for n in found), any(n > LIMIT for n in found))
