"""What an outgoing message is about, in words and with a link: the outbox's and the pages' panels' names.

Reminders and notifications point at their subject by (type, id). `name_subjects` loads every subject of
a page in one query per type (never one per row) and names each: an Action by its name, an activity with
its Action, a deployment by its expert and activity, a request by its title, a consultation by its
request, a person's weekly digest by the person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from ..accounts.models import User
from ..actions.models import Action
from ..activities.models import Activity
from ..core.i18n import _, _l
from ..deployments.models import Deployment
from ..experts.models import Expert
from ..governance.models import Consultation
from ..requests.models import Request

Key = tuple[str, int]

# The subject types a reminder or a notification may point at, as the outbox's filter names them.
SUBJECT_TYPES = {
    "action": _l("Action"),
    "activity": _l("Activity"),
    "deployment": _l("Deployment"),
    "mission": _l("Mission (a deployment's logistics and checklist)"),
    "request": _l("Request"),
    "consultation": _l("Steering Committee consultation"),
    "digest": _l("Person (weekly digest)"),
}


@dataclass(frozen=True)
class SubjectName:
    """One subject as a row shows it: what it is, its name and page, and what it belongs to."""

    type: str
    id: int
    name: str
    url: str | None = None
    context: str | None = None  # e.g. the activity's Action
    context_url: str | None = None

    @property
    def type_label(self) -> str:
        return str(SUBJECT_TYPES.get(self.type, self.type))


def _actions(session: Session, ids: set[int]) -> Iterable[SubjectName]:
    for action in session.scalars(select(Action).where(Action.id.in_(ids))):
        yield SubjectName("action", action.id, action.name, url_for("actions.show", action_id=action.id))


def _activities(session: Session, ids: set[int]) -> Iterable[SubjectName]:
    for activity in session.scalars(select(Activity).where(Activity.id.in_(ids)).options(joinedload(Activity.action))):
        yield SubjectName("activity", activity.id, activity.title, url_for("activities.show", activity_id=activity.id),
                          activity.action.name, url_for("actions.show", action_id=activity.action_id))


def _deployments(session: Session, ids: set[int], kind: str = "deployment") -> Iterable[SubjectName]:
    stmt = select(Deployment).where(Deployment.id.in_(ids)).options(
        joinedload(Deployment.expert), joinedload(Deployment.activity).joinedload(Activity.action))
    for deployment in session.scalars(stmt):
        activity = deployment.activity
        page = (url_for("missions.show", deployment_id=deployment.id) if kind == "mission"
                else url_for("deployments.show", deployment_id=deployment.id))
        yield SubjectName(kind, deployment.id, deployment.expert.name, page,
                          _("%(activity)s (%(action)s)", activity=activity.title, action=activity.action.name),
                          url_for("activities.show", activity_id=activity.id))


def _requests(session: Session, ids: set[int]) -> Iterable[SubjectName]:
    for item in session.scalars(select(Request).where(Request.id.in_(ids))):
        yield SubjectName("request", item.id, item.title, url_for("requests.show", request_id=item.id))


def _consultations(session: Session, ids: set[int]) -> Iterable[SubjectName]:
    for consultation in session.scalars(select(Consultation).where(Consultation.id.in_(ids))
                                        .options(joinedload(Consultation.request))):
        yield SubjectName("consultation", consultation.id, consultation.request.title,
                          url_for("requests.show", request_id=consultation.request_id, _anchor="committee"))


def _digests(session: Session, ids: set[int]) -> Iterable[SubjectName]:
    for user in session.scalars(select(User).where(User.id.in_(ids))):
        yield SubjectName("digest", user.id, user.name)


LOADERS: dict[str, Callable[[Session, set[int]], Iterable[SubjectName]]] = {
    "action": _actions, "activity": _activities, "deployment": _deployments, "request": _requests,
    "mission": lambda session, ids: _deployments(session, ids, "mission"),
    "consultation": _consultations, "digest": _digests,
}


def name_subjects(session: Session, keys: Iterable[Key]) -> dict[Key, SubjectName]:
    """Every subject of `keys` named, one query per subject type; a subject gone since is named as such."""
    wanted: dict[str, set[int]] = {}
    for subject_type, subject_id in keys:
        wanted.setdefault(subject_type, set()).add(subject_id)
    named: dict[Key, SubjectName] = {}
    for subject_type, ids in wanted.items():
        loader = LOADERS.get(subject_type)
        for found in loader(session, ids) if loader else ():
            named[(found.type, found.id)] = found
        for missing in ids - {key[1] for key in named if key[0] == subject_type}:
            named[(subject_type, missing)] = SubjectName(subject_type, missing, _("#%(id)s (no longer exists)",
                                                                                   id=missing))
    return named


def _like(column, words: str):
    return func.lower(column).contains(words.lower(), autoescape=True)


# A subject's ids whose name contains the words typed (the outbox's subject search).
NAME_SEARCH: dict[str, Callable[[str], Select[tuple[int]]]] = {
    "action": lambda q: select(Action.id).where(_like(Action.name, q)),
    "activity": lambda q: select(Activity.id).where(_like(Activity.title, q)),
    "deployment": lambda q: select(Deployment.id).join(Expert, Expert.id == Deployment.expert_id)
    .where(_like(Expert.name, q)),
    "mission": lambda q: select(Deployment.id).join(Expert, Expert.id == Deployment.expert_id)
    .where(_like(Expert.name, q)),
    "request": lambda q: select(Request.id).where(_like(Request.title, q)),
    "consultation": lambda q: select(Consultation.id).join(Request, Request.id == Consultation.request_id)
    .where(_like(Request.title, q)),
    "digest": lambda q: select(User.id).where(_like(User.name, q)),
}
