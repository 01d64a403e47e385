"""What the caller may do with a record now, in the API's answers: the same permissions objects the pages
ask (each package's permissions.py), so a client offers the same steps as the page without comparing
statuses either."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields as dataclass_fields
from enum import StrEnum
from typing import Any

from flask import g
from marshmallow import Schema, fields, missing, validate

from ..actions.lifecycle import ActionEvent
from ..actions.permissions import ActionPermissions, action_permissions
from ..activities.lifecycle import ActivityEvent
from ..activities.permissions import ActivityPermissions, activity_permissions
from ..core.web import now
from ..deployments.lifecycle import DeploymentEvent
from ..deployments.permissions import DeploymentPermissions, deployment_permissions
from ..extensions import db
from ..requests.lifecycle import RequestEvent
from ..requests.permissions import RequestPermissions, request_permissions
from ..requests.services import committee_size
from .common import me


def permissions_schema(permissions: type, events: type[StrEnum], name: str) -> type[Schema]:
    """The schema of a permissions dataclass: each of its flags, and the lifecycle events it offers."""
    declared: dict[str, fields.Field] = {
        field.name: fields.Boolean(required=True) for field in dataclass_fields(permissions) if field.name != "events"}
    declared["events"] = fields.List(fields.String(validate=validate.OneOf([e.value for e in events])), required=True,
                                     metadata={"description": "The lifecycle steps offered to you now."})
    return Schema.from_dict(declared, name=name)


class Computed(fields.Nested):
    """A nested object computed from the whole record (documented as its schema): read-only."""

    def __init__(self, nested: type[Schema], compute: Callable[[Any], Any], **kwargs: Any) -> None:
        super().__init__(nested, dump_only=True, required=True, **kwargs)
        self.compute = compute

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = missing) -> Any:
        return self.compute(obj)


def committee_members() -> int:
    """The Steering Committee's active members, counted once per API call (a page of requests asks for each)."""
    if "committee_members" not in g:
        g.committee_members = committee_size(db.session)
    return g.committee_members


SCHEMAS: dict[str, tuple[type[Schema], Callable[[Any], Any]]] = {
    "request": (permissions_schema(RequestPermissions, RequestEvent, "RequestPermissions"),
                lambda r: request_permissions(r, me(), committee_members=committee_members())),
    "action": (permissions_schema(ActionPermissions, ActionEvent, "ActionPermissions"),
               lambda a: action_permissions(a, me())),
    "activity": (permissions_schema(ActivityPermissions, ActivityEvent, "ActivityPermissions"),
                 lambda a: activity_permissions(a, me())),
    "deployment": (permissions_schema(DeploymentPermissions, DeploymentEvent, "DeploymentPermissions"),
                   lambda d: deployment_permissions(d, me(), today=now().date())),
}


def permissions_of(kind: str) -> Computed:
    """The `permissions` field of a request, Action, activity or deployment: what the caller may do now."""
    schema, compute = SCHEMAS[kind]
    return Computed(schema, compute, metadata={"description": "What you may do with it now, as its page offers."})
