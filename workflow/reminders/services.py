"""Use cases of the reminder settings: each rule's offsets and recipients, and its wording per language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action
from ..activities.models import Activity
from ..core.errors import DomainError, NotFound, StateConflict
from ..core.i18n import _
from ..core.labels import label
from ..core.signals import record_security_event
from ..deployments.lifecycle import DeploymentStatus
from ..deployments.models import Deployment
from ..governance.models import Consultation
from ..requests.models import Request
from .messages import content_for
from .models import Reminder, ReminderRule, ReminderState, ReminderWording
from .registry import RECIPIENTS, RULES, default_offsets, recipient_problem
from .sync import resync_rules
from .wording import LOCALES, MAX_BODY, MAX_SUBJECT, check, editable, reworded, values_for

# --- Offsets and recipients ------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSettings:
    offsets: list[int]
    enabled: bool
    recipients: list[str] | None  # None: the rule's recipients are fixed (or not chosen)


def save_rule_settings(session: Session, settings: Mapping[str, RuleSettings], *, actor: User,
                       now: datetime) -> set[str]:
    """Save the rules as the admin set them and re-derive the reminders of those that changed.

    Re-deriving moves, adds and cancels reminders still waiting; one already sent is never sent again.
    Answers the codes of the rules that changed.
    """
    changed: set[str] = set()
    for code, wanted in settings.items():
        problem = None if wanted.recipients is None else recipient_problem(code, wanted.recipients,
                                                                             enabled=wanted.enabled)
        if problem:
            raise DomainError(_(problem), field=f"recipients_{code}")
        row = session.get(ReminderRule, code)
        recipients, spec = wanted.recipients, RECIPIENTS.get(code)
        if recipients is not None and spec is not None:
            recipients = [r for r in spec.allowed if r in recipients]  # one way to write a choice
            if (row is None or row.recipients is None) and recipients == list(spec.default):
                recipients = None  # still the defaults: keep following them
        before = (row.offsets, row.enabled, row.recipients) if row is not None else (
            default_offsets().get(code, []), True, None)
        if before != (wanted.offsets, wanted.enabled, recipients):
            changed.add(code)
        if row is None:
            row = ReminderRule(code=code)
            session.add(row)
        row.offsets, row.enabled, row.recipients = list(wanted.offsets), wanted.enabled, recipients
        row.updated_at, row.updated_by_id = now, actor.id
    session.flush()
    resync_rules(session, changed, now)
    return changed


# --- Wording -----------------------------------------------------------------------------------

Texts = Mapping[str, tuple[str, str]]  # locale -> (subject, body) as typed; empty: the built-in text


class WordingRefused(DomainError):
    """Some texts do not render: one message per form field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Please correct the texts marked below; nothing was saved."))
        self.errors = errors


def saved_texts(session: Session, rule: str) -> dict[str, tuple[str, str]]:
    rows = session.scalars(select(ReminderWording).where(ReminderWording.rule == rule))
    return {w.locale: (w.subject or "", w.body or "") for w in rows}


def _checked(rule: str, texts: Texts) -> dict[str, str]:
    errors: dict[str, str] = {}
    for locale in LOCALES:
        subject, body = texts.get(locale, ("", ""))
        for name, source, limit, one_line in (("subject", subject, MAX_SUBJECT, True), ("body", body, MAX_BODY, False)):
            key = f"{name}_{locale}"
            if len(source) > limit:
                errors[key] = _("At most %(max)s characters (this has %(length)s).", max=limit, length=len(source))
                continue
            try:
                if source.strip():
                    check(source, rule, field=key, one_line=one_line)
            except DomainError as error:
                errors[key] = error.message
    return errors


@dataclass(frozen=True)
class Example:
    """A real reminder (or a real record the rule could remind of) and who would read it."""

    reminder: Reminder
    recipient: User
    real_reminder: bool


@dataclass
class Rendered:
    locale: str
    subject: str = ""
    text: str = ""
    html: str = ""
    own_wording: bool = False
    errors: dict[str, str] = field(default_factory=dict)


def _transient(rule: str, key: str, subject_type: str, subject_id: int, viewer: User) -> Reminder:
    """A reminder that is never added to the session: only what the message needs to be written."""
    return Reminder(key=key, rule=rule, subject_type=subject_type, subject_id=subject_id, recipient_id=viewer.id)


def _latest(session: Session, stmt) -> int | None:
    return session.scalar(stmt.limit(1))


# For a rule with no reminder yet: a real record it would remind of (the newest), as a reminder to the viewer.
# Found by the rule's kind of subject, unless the rule has a finder of its own.
Finder = Callable[[Session, str, User], Reminder | None]
_SAMPLES: dict[str, Finder] = {}


def _sample(*names: str) -> Callable[[Finder], Finder]:
    """Register the decorated finder for these subject types (or rule codes)."""
    def register(finder: Finder) -> Finder:
        for name in names:
            _SAMPLES[name] = finder
        return finder
    return register


@_sample("request")
def _sample_request(session: Session, rule: str, viewer: User) -> Reminder | None:
    found = _latest(session, select(Request.id).where(Request.submitted_at.is_not(None))
                    .order_by(Request.submitted_at.desc(), Request.id.desc()))
    return _transient(rule, f"preview:request:{found}", "request", found, viewer) if found else None


@_sample("deployment")
def _sample_deployment(session: Session, rule: str, viewer: User) -> Reminder | None:
    found = _latest(session, select(Deployment.id).order_by(Deployment.id.desc()))
    return _transient(rule, f"preview:deployment:{found}", "deployment", found, viewer) if found else None


@_sample("mission")
def _sample_mission(session: Session, rule: str, viewer: User) -> Reminder | None:
    """An accepted or confirmed deployment: its mission's checklist."""
    found = _latest(session, select(Deployment.id).where(
        Deployment.status.in_((DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED))).order_by(Deployment.id.desc()))
    return _transient(rule, f"preview:deployment:{found}", "mission", found, viewer) if found else None


@_sample("report_due", "report_overdue")
def _sample_report(session: Session, rule: str, viewer: User) -> Reminder | None:
    """A booked deployment: these messages read it from the key, their subject is its activity."""
    found = session.execute(select(Deployment.id, Deployment.activity_id).where(
        Deployment.status.in_((DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED)))
        .order_by(Deployment.id.desc()).limit(1)).first()
    if found is None:
        return None
    deployment_id, activity_id = found
    return _transient(rule, f"preview:deployment:{deployment_id}", "activity", activity_id, viewer)


@_sample("activity")
def _sample_activity(session: Session, rule: str, viewer: User) -> Reminder | None:
    found = _latest(session, select(Activity.id).order_by(Activity.start_date.desc(), Activity.id.desc()))
    return _transient(rule, f"preview:activity:{found}", "activity", found, viewer) if found else None


@_sample("action")
def _sample_action(session: Session, rule: str, viewer: User) -> Reminder | None:
    found = _latest(session, select(Action.id).where(Action.planned_end.is_not(None)).order_by(Action.id.desc()))
    return _transient(rule, f"preview:action:{found}", "action", found, viewer) if found else None


@_sample("checkin")
def _sample_check_in(session: Session, rule: str, viewer: User) -> Reminder | None:
    """An Action (the closed ones first), asked at its 6-month check-in."""
    found = _latest(session, select(Action.id).order_by((Action.status == ActionStatus.CLOSED).desc(),
                                                        Action.id.desc()))
    return _transient(rule, f"preview:action:{found}:6", "checkin", found, viewer) if found else None


@_sample("digest")
def _sample_digest(session: Session, rule: str, viewer: User) -> Reminder | None:
    return _transient(rule, f"preview:digest:{viewer.id}", "digest", viewer.id, viewer)


@_sample("consultation")
def _sample_consultation(session: Session, rule: str, viewer: User) -> Reminder | None:
    found = _latest(session, select(Consultation.id).order_by(Consultation.deadline.desc(), Consultation.id.desc()))
    return _transient(rule, f"preview:consultation:{found}", "consultation", found, viewer) if found else None


def _sample_of(session: Session, rule: str, viewer: User) -> Reminder | None:
    record = RULES.get(rule)
    finder = _SAMPLES.get(rule) or (_SAMPLES.get(record.subject_type) if record is not None else None)
    return finder(session, rule, viewer) if finder is not None else None


def find_example(session: Session, rule: str, *, viewer: User, base_url: str, now: datetime) -> Example | None:
    """The latest reminder of `rule` whose record still reads, else a real record it could be about."""
    candidates = [(r, r.recipient, True) for r in session.scalars(
        select(Reminder).where(Reminder.rule == rule).order_by(Reminder.due_at.desc(), Reminder.id.desc()).limit(5))]
    sample = _sample_of(session, rule, viewer)
    if sample is not None:
        candidates.append((sample, viewer, False))
    for reminder, recipient, real in candidates:
        try:
            with session.begin_nested(), force_locale("en"):  # a failed read must not spoil the transaction
                content_for(session, reminder, base_url=base_url, now=now)
        except Exception:  # noqa: BLE001 - a record since deleted or changed past reading: try the next one
            continue
        return Example(reminder, recipient, real)
    return None


def _email(template: str, **context: object) -> str:
    """An e-mail body as the dispatcher renders it (no page context processors)."""
    return current_app.jinja_env.get_template(template).render(**context)


def render_example(session: Session, example: Example, texts: Texts, locale: str, *, base_url: str,
                   now: datetime) -> Rendered:
    """The message `example` would be, in `locale`, with the given texts (empty: the built-in ones)."""
    subject, body = texts.get(locale, ("", ""))
    out = Rendered(locale, own_wording=bool(subject.strip() or body.strip()))
    with force_locale(locale):
        content = content_for(session, example.reminder, base_url=base_url, now=now)
        values = values_for(example.recipient, content)
        try:
            content = reworded(content, subject.strip() and subject, body.strip() and body, values,
                               fields=(f"subject_{locale}", f"body_{locale}"))
        except DomainError as error:
            out.errors[error.field or f"body_{locale}"] = error.message
            return out
        context = {"content": content, "recipient": example.recipient,
                   "preferences": base_url.rstrip("/") + "/notifications/preferences"}
        out.subject, out.text, out.html = content.subject, _email("emails/reminder.txt", **context), \
            _email("emails/reminder.html", **context)
    return out


def preview_wording(session: Session, rule: str, texts: Texts, *, viewer: User, base_url: str,
                    now: datetime) -> tuple[Example | None, list[Rendered], dict[str, str]]:
    """Each language's message on a real example, and the field messages of texts that do not render."""
    errors = _checked(rule, texts)
    example = find_example(session, rule, viewer=viewer, base_url=base_url, now=now)
    rendered = []
    if example is not None:
        for locale in LOCALES:
            if any(key.endswith(f"_{locale}") for key in errors):
                rendered.append(Rendered(locale, own_wording=True))
                continue
            result = render_example(session, example, texts, locale, base_url=base_url, now=now)
            errors.update(result.errors)
            rendered.append(result)
    return example, rendered, errors


def save_wording(session: Session, rule: str, texts: Texts, *, actor: User, base_url: str, now: datetime) -> None:
    """Save a rule's texts per language (empty: back to the built-in text) if every one renders."""
    if rule not in RULES or not editable(rule):
        raise DomainError(_("The text of this reminder cannot be changed."))
    _example, _rendered, errors = preview_wording(session, rule, texts, viewer=actor, base_url=base_url, now=now)
    if errors:
        raise WordingRefused(errors)
    rows = {w.locale: w for w in session.scalars(select(ReminderWording).where(ReminderWording.rule == rule))}
    for locale in LOCALES:
        subject, body = (part.strip() for part in texts.get(locale, ("", "")))
        row = rows.get(locale)
        if not (subject or body):
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = ReminderWording(rule=rule, locale=locale)
            session.add(row)
        if (row.subject, row.body) != (subject or None, body or None):
            row.subject, row.body, row.updated_at, row.updated_by_id = subject or None, body or None, now, actor.id
    session.flush()


# --- Retrying a failed reminder --------------------------------------------------------------


def retry(session: Session, reminder_id: int, *, actor: User, now: datetime) -> Reminder:
    """Send a failed reminder again: back to pending, its attempts counted afresh, due at the next pass.

    Refused (StateConflict) unless it failed: a reminder waiting, being sent or sent is not sent twice.
    The change is conditional in SQL, so two staff retrying at once, or a dispatcher, cannot both win.
    """
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise NotFound("No such reminder.")
    changed = session.execute(
        update(Reminder).where(Reminder.id == reminder_id, Reminder.state == ReminderState.FAILED)
        .values(state=ReminderState.PENDING, attempts=0, next_attempt_at=None, claim_token=None, claimed_at=None,
                updated_at=now).execution_options(synchronize_session=False)).rowcount
    if not changed:
        raise StateConflict(_("Only a failed e-mail can be retried; this one is %(state)s.",
                              state=label(reminder.state).lower()))
    session.refresh(reminder)
    record_security_event(session, "outbox_retried", now=now, user=reminder.recipient,
                          detail={"reminder_id": reminder.id, "rule": reminder.rule, "by": actor.id})
    return reminder
