"""`flask --app workflow …` commands: db, seed, users, staffing, deployments, reminders, tokens, scheduler.

`scheduler` starts the scheduler process, whose jobs are in `workflow/scheduler.py`; `backup` and
`privacy` are kept beside their packages and registered here with the others.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from alembic import command
from flask import Flask, current_app
from flask.cli import AppGroup

from .accounts.models import Role
from .extensions import db
from .ops.migrations import alembic_config

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: head)."""
    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Go back to REVISION."""
    command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    command.current(alembic_config(current_app.config["DATABASE_URL"]), verbose=True)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration (compared against the models unless --empty)."""
    command.revision(alembic_config(current_app.config["DATABASE_URL"]), message=message, autogenerate=autogenerate)


seed_cli = AppGroup("seed", help="Reference and demo data.")


@seed_cli.command("reference")
def seed_reference() -> None:
    """Load regions, countries and thematic areas (idempotent)."""
    from .reference.services import ensure_reference_data

    ensure_reference_data(db.session)
    db.session.commit()
    click.echo("Reference data is in place.")


@seed_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds Actions.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo portfolio from the programme's public documents (idempotent)."""
    from sqlalchemy import select

    from seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo, portfolio_counts

    from .actions.models import Action

    if if_empty and db.session.scalar(select(Action.id).limit(1)) is not None:
        click.echo("The database already holds Actions; demo data not loaded.")
    else:
        load_demo(db.session, now=datetime.now(UTC))
        db.session.commit()
    counts = portfolio_counts(db.session)
    click.echo("Portfolio: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    click.echo(f"Demo accounts, all with the password {DEMO_PASSWORD!r}:")
    for email, _name, role, _institution, _country in DEMO_ACCOUNTS:
        click.echo(f"  {email:<34} {role.value}")


users_cli = AppGroup("users", help="User accounts.")
# Every role there is (Steering Committee members included), read from the enum so a new role is never left out.
ROLE_NAMES = [role.value for role in Role]


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLE_NAMES))
@click.option("--institution", "institution_id", type=int, help="Institution id (requesters).")
@click.option("--country", "country_code", help="ISO country code (member-state focal points).")
@click.option("--name", help="Display name (defaults to the e-mail).")
@click.password_option()
def users_create(email: str, role: str, institution_id: int | None, country_code: str | None, name: str | None,
                 password: str) -> None:
    """Add a user (asks for the password)."""
    from .accounts.services import create_user
    from .core.errors import DomainError

    try:
        user = create_user(
            db.session, email=email, name=name or email, role=Role(role), password=password,
            now=datetime.now(UTC), institution_id=institution_id,
            country_code=country_code.upper() if country_code else None,
        )
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


staffing_cli = AppGroup("staffing", help="Staffing open slots with the optimiser.")


@staffing_cli.command("plan")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 365),
              help="Open slots of activities starting in the next N days.")
@click.option("--apply", "apply_plan", is_flag=True, help="Create the proposed deployments (as the admin user).")
@click.option("--as", "as_email", help="E-mail of the staff member the proposals are made by (with --apply).")
def staffing_plan(days: int, apply_plan: bool, as_email: str | None) -> None:
    """Propose experts for every open slot in the next N days."""
    from sqlalchemy import select

    from .accounts.models import STAFF_ROLES, User
    from .deployments.staffing import apply_staffing, plan_staffing
    from .experts.models import Expert

    now = datetime.now(UTC)
    plan, slots = plan_staffing(db.session, today=now.date(), days=days)
    names = dict(db.session.execute(select(Expert.id, Expert.name).where(
        Expert.id.in_({a.expert_id for a in plan.assignments}))).all())
    for a in plan.assignments:
        activity = slots[a.slot_id].slot.activity
        click.echo(f"{activity.start_date}  {activity.action.name:<22} {activity.title[:44]:<44} -> "
                   f"{names[a.expert_id]} ({a.score:.1f})")
    open_places = sum(plan.unfilled.values())
    click.echo(f"{len(slots)} open slots, {len(plan.assignments)} places proposed, {open_places} left open; "
               f"objective {plan.objective:.1f} of bound {plan.bound:.1f} ({plan.optimality:.1%}), "
               f"{plan.seconds:.2f} s, {plan.solver}.")
    if apply_plan:
        stmt = select(User).where(User.role.in_(STAFF_ROLES), User.active)
        actor = db.session.scalar(stmt.where(User.email == as_email.lower()) if as_email else stmt.order_by(User.id))
        if actor is None:
            raise click.ClickException("No active staff user to make the proposals (give --as EMAIL).")
        from .audit.services import set_actor

        set_actor(db.session, actor)  # the audit trail names them
        result = apply_staffing(db.session, [(a.slot_id, a.expert_id) for a in plan.assignments], actor=actor, now=now)
        db.session.commit()
        click.echo(f"{len(result.created)} deployments proposed by {actor.email}.")
        for message in result.refused:
            click.echo(f"refused: {message}")


deployments_cli = AppGroup("deployments", help="Deployments of experts on activity slots.")


@deployments_cli.command("propose")
@click.argument("slot_id", type=int)
@click.argument("expert_id", type=int)
@click.option("--invite", is_flag=True, help="Invite the expert at once.")
@click.option("--as", "as_email", required=True, help="E-mail of the staff member making the proposal.")
def deployments_propose(slot_id: int, expert_id: int, invite: bool, as_email: str) -> None:
    """Propose EXPERT_ID for SLOT_ID (checked against every hard rule)."""
    from sqlalchemy import select

    from .accounts.models import User
    from .activities.models import ExpertSlot
    from .core.errors import DomainError
    from .deployments.lifecycle import DeploymentEvent
    from .deployments.services import apply_deployment_event, propose
    from .experts.models import Expert

    actor = db.session.scalar(select(User).where(User.email == as_email.strip().lower()))
    slot, expert = db.session.get(ExpertSlot, slot_id), db.session.get(Expert, expert_id)
    if actor is None or slot is None or expert is None:
        raise click.ClickException("Unknown user, slot or expert.")
    from .audit.services import set_actor

    set_actor(db.session, actor)  # the audit trail names them
    now = datetime.now(UTC)
    try:
        deployment = propose(db.session, slot, expert, actor=actor, now=now)
        if invite:
            apply_deployment_event(db.session, deployment, DeploymentEvent.INVITE, actor=actor, now=now)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Deployment {deployment.id}: {expert.name} on slot {slot.id}, {deployment.status.value}.")


reminders_cli = AppGroup("reminders", help="Reminders: derivation and dispatch.")


@reminders_cli.command("dispatch")
def reminders_dispatch() -> None:
    """One dispatch pass of due reminders."""
    from .scheduler import dispatch_pass

    dispatch_pass()


notifications_cli = AppGroup("notifications", help="Notifications of the workflow's hand-offs.")


@notifications_cli.command("dispatch")
def notifications_dispatch() -> None:
    """One pass of the notifications' e-mails due now (those sent at once, and the digests whose hour came)."""
    from .scheduler import notifications_pass

    notifications_pass()


@reminders_cli.command("sync")
def reminders_sync() -> None:
    """Re-derive every reminder from the data (after a change of rules or an import)."""
    from sqlalchemy import select

    from .actions.models import Action
    from .activities.models import Activity
    from .deployments.models import Deployment
    from .reminders.sync import refresh_recurring, sync_subjects
    from .requests.models import Request

    now = datetime.now(UTC)
    subjects = ({("request", i) for i in db.session.scalars(select(Request.id))}
                | {("activity", i) for i in db.session.scalars(select(Activity.id))}
                | {("action", i) for i in db.session.scalars(select(Action.id))}
                | {("deployment", i) for i in db.session.scalars(select(Deployment.id))})
    sync_subjects(db.session, subjects, now)
    refresh_recurring(db.session, now)
    db.session.commit()
    click.echo(f"Reminders re-derived for {len(subjects)} subjects.")


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduler process: dispatch due reminders every minute (and so the weekly digests), and
    apply the retention rule once a day."""
    from .scheduler import run

    run(current_app._get_current_object())


tokens_cli = AppGroup("tokens", help="Personal access tokens for the JSON API.")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for (shown in the user's list).")
def tokens_create(email: str, name: str) -> None:
    """Print a new API token for that user, once."""
    from sqlalchemy import select

    from .accounts.models import User
    from .accounts.tokens import create_token
    from .core.errors import DomainError

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with the e-mail {email}.")
    try:
        _token, plain = create_token(db.session, user, name, now=datetime.now(UTC))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(plain)


def register_commands(app: Flask) -> None:
    """Add every command group to `flask --app workflow`, those kept beside their package included."""
    from seed.synthetic_command import synthetic_command  # beside the generator, which it loads when run

    from .ops.backup_commands import backup_cli
    from .privacy.commands import privacy_cli

    seed_cli.add_command(synthetic_command)
    for group in (db_cli, seed_cli, users_cli, staffing_cli, deployments_cli, reminders_cli, notifications_cli,
                  tokens_cli, scheduler_command, backup_cli, privacy_cli):
        app.cli.add_command(group)
