"""Pages for programme staff: knowledge-sharing events (who came, the Actions reviewed) and good practices
(draft, edit, publish, withdraw). The public reads published practices in the catalogue (workflow/catalogue)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..accounts.access import staff_required
from ..actions.models import Action
from ..activities.models import Deliverable
from ..core.errors import DomainError
from ..core.forms import ConfirmForm, options
from ..core.i18n import _
from ..core.uploads import remove_stored
from ..core.web import (
    MAX_ID,
    attempt,
    create_once,
    create_with_upload,
    ensure_form_key,
    int_arg,
    now,
    paginate,
    per_page_arg,
    send_stored,
)
from ..extensions import db
from ..reference.choices import country_choices, language_choices
from ..reference.models import Region, ThematicArea
from ..results.models import Indicator
from .documents import DocumentDraft, add_event_document, remove_event_document
from .forms import EventDocumentForm, EventForm, PracticeForm, RemoveDocumentForm, StaffingForm, WithdrawForm
from .lifecycle import EventDocumentKind, PracticeStatus
from .models import EventDocument, KnowledgeEvent, Practice
from .permissions import knowledge_permissions
from .queries import PracticeFilters, events_list, evidence_indicators, practices_list
from .services import (
    EventDraft,
    ParticipantGroup,
    PracticeDraft,
    create_event,
    create_practice,
    open_staffing,
    publish_practice,
    set_participants,
    update_event,
    update_practice,
    withdraw_practice,
)

bp = Blueprint("knowledge", __name__, url_prefix="/knowledge")


def _event(event_id: int) -> KnowledgeEvent:
    event = db.session.get(KnowledgeEvent, event_id)
    if event is None:
        abort(404)
    return event


def _practice(practice_id: int) -> Practice:
    practice = db.session.get(Practice, practice_id)
    if practice is None:
        abort(404)
    return practice


def _id_options(model: type, empty: str) -> list:
    rows = db.session.execute(select(model.id, model.name).order_by(model.position, model.name))
    return options(((row.id, _(row.name)) for row in rows), empty=empty)


def _action_options() -> list:
    return options((a.id, f"{a.name} — {a.title}") for a in db.session.scalars(select(Action).order_by(Action.name)))


def parse_participants(text: str | None) -> list[ParticipantGroup]:
    """Participants typed one line per country and institution: `PE; Institution; women; men; other`."""
    groups = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        try:
            code, institution, female, male, other = (parts + ["", "0", "0", "0"])[:5] if len(parts) >= 2 else (
                parts[0], "", "0", "0", "0")
            groups.append(ParticipantGroup(code.upper(), institution or None, int(female or 0), int(male or 0),
                                           int(other or 0)))
        except ValueError:
            raise DomainError(_("Line %(n)s: write the country code, institution, women, men and others, "
                                "separated by semicolons.", n=number), field="participants") from None
    return groups


def format_participants(event: KnowledgeEvent) -> str:
    return "\n".join(f"{g.country_code}; {g.institution or ''}; {g.female}; {g.male}; {g.other}"
                     for g in event.participants)


# --- Events --------------------------------------------------------------------------------------------


@bp.get("/events")
@staff_required
def events():
    q = request.args.get("q") or None
    page = paginate(db.session, events_list(q), int_arg("page", 1), per_page_arg())
    return render_template("knowledge/events.html", page=page, q=q or "")


def _event_form(event: KnowledgeEvent | None = None) -> EventForm:
    form = EventForm(obj=event) if event is not None and request.method == "GET" else EventForm()
    form.region_id.choices = _id_options(Region, _("No region"))
    form.thematic_area_id.choices = _id_options(ThematicArea, _("No thematic area"))
    form.country_code.choices = options(country_choices(db.session), empty=_("No country"))
    form.action_ids.choices = _action_options()
    if event is not None and request.method == "GET":
        form.action_ids.data = [a.id for a in event.actions]
        form.participants.data = format_participants(event)
    return form


def _event_draft(form: EventForm) -> EventDraft:
    return EventDraft(
        title=form.title.data, host_institution=form.host_institution.data, start_date=form.start_date.data,
        end_date=form.end_date.data, region_id=form.region_id.data, thematic_area_id=form.thematic_area_id.data,
        theme=form.theme.data, city=form.city.data, country_code=form.country_code.data or None,
        summary=form.summary.data, action_ids=tuple(form.action_ids.data or ()))


def _save_event(form: EventForm, event: KnowledgeEvent | None) -> KnowledgeEvent:
    draft, groups = _event_draft(form), parse_participants(form.participants.data)
    if event is None:
        event = create_event(db.session, draft, actor=current_user, now=now())
    else:
        update_event(db.session, event, draft, actor=current_user, now=now())
    return set_participants(db.session, event, groups, actor=current_user, now=now())


@bp.route("/events/new", methods=["GET", "POST"])
@staff_required
def new_event():
    form = _event_form()
    if form.validate_on_submit():
        answer = create_once(form, lambda: _save_event(form, None),
                             target=lambda event: url_for(".event", event_id=event.id),
                             done=lambda _event: _("The event is recorded."),
                             repeated=_("This event was already recorded."))
        if answer:
            return answer
    ensure_form_key(form)
    return render_template("knowledge/event_form.html", form=form, event=None)


@bp.get("/events/<id:event_id>")
@staff_required
def event(event_id: int):
    event = _event(event_id)
    practices = db.session.scalars(select(Practice).where(Practice.event_id == event.id).order_by(Practice.title))
    return _event_page(event, practices=list(practices))


def _event_page(event: KnowledgeEvent, *, document_form: EventDocumentForm | None = None, **context) -> str:
    if document_form is None:
        document_form = EventDocumentForm()
        ensure_form_key(document_form)
    if "practices" not in context:
        context["practices"] = list(db.session.scalars(
            select(Practice).where(Practice.event_id == event.id).order_by(Practice.title)))
    return render_template("knowledge/event.html", event=event, staffing=_staffing_form(event),
                           document_form=document_form, remove_form=RemoveDocumentForm(), **context)


# --- An event's documents ------------------------------------------------------------------------------


@bp.post("/events/<id:event_id>/documents")
@staff_required
def add_document(event_id: int):
    """Add an agenda, a report or a presentation: a file typed from its content (or a link)."""
    event = _event(event_id)
    form = EventDocumentForm()
    if form.validate_on_submit():
        draft = DocumentDraft(EventDocumentKind(form.kind.data), form.title.data, form.url.data or None)
        answer = create_with_upload(
            form, url_for(".event", event_id=event.id) + "#documents",
            lambda stored, name: add_event_document(db.session, event, draft, actor=current_user, now=now(),
                                                    file=stored, file_name=name),
            _("The document is added to the event."))
        if answer:
            return answer
    ensure_form_key(form)
    return _event_page(event, document_form=form)


def _document(document_id: int) -> EventDocument:
    document = db.session.get(EventDocument, document_id)
    if document is None:
        abort(404)
    return document


@bp.get("/event-documents/<id:document_id>/file")
@staff_required
def document_file(document_id: int):
    return send_stored(_document(document_id), "document")


@bp.post("/event-documents/<id:document_id>/remove")
@staff_required
def remove_document(document_id: int):
    """Remove a document with the reason; the event's history keeps the row, the file is deleted."""
    document = _document(document_id)
    form = RemoveDocumentForm()
    if not form.validate_on_submit():
        flash(_("Say why the document is removed."), "danger")
    else:
        stored = attempt(lambda: remove_event_document(db.session, document, form.reason.data, actor=current_user,
                                                       now=now()) or "")
        if stored is not None:
            db.session.commit()
            if stored:
                remove_stored(current_app.config["UPLOAD_DIR"], stored)  # only once the removal is recorded
            flash(_("The document is removed; the event's history keeps why."), "success")
    return redirect(url_for(".event", event_id=document.event_id) + "#documents")


def _staffing_form(event: KnowledgeEvent) -> StaffingForm:
    form = StaffingForm()
    form.host_action_id.choices = options((a.id, f"{a.name} — {a.title}") for a in event.actions)
    form.languages.choices = options(language_choices())
    return form


@bp.post("/events/<id:event_id>/staffing")
@staff_required
def staffing(event_id: int):
    """Open the event's staffing activity; experts are then invited on it as on any activity."""
    event = _event(event_id)
    form = _staffing_form(event)
    if not form.validate_on_submit():
        flash(_("Choose the hosting Action and the event's languages."), "danger")
    elif attempt(lambda: open_staffing(db.session, event, form.host_action_id.data, form.languages.data,
                                       actor=current_user, now=now())):
        db.session.commit()
        flash(_("The event's staffing activity is open: add expert slots and invite experts on it."), "success")
        return redirect(url_for("activities.show", activity_id=event.staffing_activity_id))
    return redirect(url_for(".event", event_id=event.id))


@bp.route("/events/<id:event_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_event(event_id: int):
    event = _event(event_id)
    form = _event_form(event)
    if form.validate_on_submit() and attempt(lambda: _save_event(form, event), form):
        db.session.commit()
        flash(_("The event is saved."), "success")
        return redirect(url_for(".event", event_id=event.id))
    return render_template("knowledge/event_form.html", form=form, event=event)


# --- Good practices ------------------------------------------------------------------------------------


@bp.get("/practices")
@staff_required
def practices():
    q = request.args.get("q") or None
    page = paginate(db.session, practices_list(PracticeFilters(q=q), published_only=False), int_arg("page", 1),
                    per_page_arg())
    return render_template("knowledge/practices.html", page=page, q=q or "")


def _practice_form(practice: Practice | None = None) -> PracticeForm:
    form = PracticeForm(obj=practice) if practice is not None and request.method == "GET" else PracticeForm()
    form.region_id.choices = _id_options(Region, _("No region"))
    form.thematic_area_id.choices = _id_options(ThematicArea, _("No thematic area"))
    form.event_id.choices = options(
        ((e.id, e.title) for e in db.session.scalars(select(KnowledgeEvent).order_by(KnowledgeEvent.start_date))),
        empty=_("No event"))
    form.action_ids.choices = _action_options()
    form.deliverable_ids.choices = options((d.id, f"{d.action.name}: {d.title}") for d in db.session.scalars(
        select(Deliverable).join(Action).order_by(Action.name, Deliverable.title)))
    form.indicator_ids.choices = options((row.id, f"{row.name}: {row.title}") for row in db.session.execute(
        select(Indicator.id, Action.name, Indicator.title).join(Action, Action.id == Indicator.action_id)
        .order_by(Action.name, Indicator.position, Indicator.id)))
    if practice is not None and request.method == "GET":
        form.action_ids.data = [a.id for a in practice.actions]
        form.deliverable_ids.data = [d.id for d in practice.deliverables]
        form.indicator_ids.data = [i.id for i in practice.indicators]
    return form


def _practice_draft(form: PracticeForm) -> PracticeDraft:
    return PracticeDraft(
        title=form.title.data, description=form.description.data, conditions=form.conditions.data,
        impact_areas=tuple(form.impact_areas.data or ()), thematic_area_id=form.thematic_area_id.data,
        region_id=form.region_id.data, event_id=form.event_id.data, action_ids=tuple(form.action_ids.data or ()),
        deliverable_ids=tuple(form.deliverable_ids.data or ()), indicator_ids=tuple(form.indicator_ids.data or ()))


def _prefill(form: PracticeForm) -> None:
    """A practice drafted from an event (`?event=`) or from an Action's final report (`?action=`) starts with its
    source, theme and region, and the final report's results and lessons learned to rewrite."""
    event = db.session.get(KnowledgeEvent, int_arg("event", 0, high=MAX_ID)) if request.args.get("event") else None
    action = db.session.get(Action, int_arg("action", 0, high=MAX_ID)) if request.args.get("action") else None
    source = event or action
    if source is None:
        return
    form.region_id.data, form.thematic_area_id.data = source.region_id, source.thematic_area_id
    if event is not None:
        form.event_id.data, form.action_ids.data = event.id, [a.id for a in event.actions]
        form.description.data = event.summary
    if action is not None:
        form.action_ids.data = [action.id]
        if action.final_report is not None:
            form.description.data = action.final_report.results
            form.conditions.data = action.final_report.lessons_learned


@bp.route("/practices/new", methods=["GET", "POST"])
@staff_required
def new_practice():
    form = _practice_form()
    if request.method == "GET":
        _prefill(form)
    if form.validate_on_submit():
        answer = create_once(form, lambda: create_practice(
            db.session, _practice_draft(form), actor=current_user, now=now()),
            target=lambda practice: url_for(".practice", practice_id=practice.id),
            done=lambda _practice: _("The practice is drafted: publish it when it is ready."),
            repeated=_("This practice was already drafted."))
        if answer:
            return answer
    ensure_form_key(form)
    return render_template("knowledge/practice_form.html", form=form, practice=None)


@bp.get("/practices/<id:practice_id>")
@staff_required
def practice(practice_id: int):
    practice = _practice(practice_id)
    return render_template("knowledge/practice.html", practice=practice, confirm=ConfirmForm(),
                           indicators=evidence_indicators(db.session, practice),
                           action_names={a.id: a.name for a in practice.actions},
                           withdraw=WithdrawForm(), can=knowledge_permissions(current_user, practice),
                           in_catalogue=practice.status is PracticeStatus.PUBLISHED)


@bp.route("/practices/<id:practice_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_practice(practice_id: int):
    practice = _practice(practice_id)
    form = _practice_form(practice)
    if form.validate_on_submit() and attempt(lambda: update_practice(
            db.session, practice, _practice_draft(form), actor=current_user, now=now()), form):
        db.session.commit()
        flash(_("The practice is saved."), "success")
        return redirect(url_for(".practice", practice_id=practice.id))
    return render_template("knowledge/practice_form.html", form=form, practice=practice)


@bp.post("/practices/<id:practice_id>/publish")
@staff_required
def publish(practice_id: int):
    practice = _practice(practice_id)
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: publish_practice(db.session, practice, actor=current_user, now=now())):
        db.session.commit()
        flash(_("The practice is in the public catalogue and on its source Actions' public pages."), "success")
    return redirect(url_for(".practice", practice_id=practice.id))


@bp.post("/practices/<id:practice_id>/withdraw")
@staff_required
def withdraw(practice_id: int):
    practice = _practice(practice_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("Say why the practice is withdrawn."), "danger")
    elif attempt(lambda: withdraw_practice(db.session, practice, form.reason.data, actor=current_user, now=now())):
        db.session.commit()
        flash(_("The practice is off the public catalogue; it is kept here."), "success")
    return redirect(url_for(".practice", practice_id=practice.id))
