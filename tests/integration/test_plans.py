"""Plan templates on a real database: save Mexico IV's plan, start Mexico V from it, copy an activity."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.services import apply_action_event
from workflow.activities.deliverables import DeliverableDraft, add_deliverable
from workflow.activities.lifecycle import ActivityEvent, ActivityKind, ActivityStatus
from workflow.activities.models import Activity, Deliverable, SlotRole
from workflow.activities.services import ActivityDraft, apply_activity_event, copy_activity, create_activity
from workflow.activities.slots import SlotDraft
from workflow.audit.models import AuditEntry
from workflow.core.errors import DomainError
from workflow.deployments.models import Deployment
from workflow.deployments.services import propose
from workflow.plans.models import PlanTemplate, PlanTemplateItem, PlanTemplateSlot
from workflow.plans.services import apply_item, apply_plan, delete_template, planned_dates, save_plan
from workflow.reminders.models import Reminder

from ..factories import T0, make_action, make_expert, make_institution, make_user, theme

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

# Mexico IV (seed 000 and the demo portfolio): the Protocol of Attention to Migrants in Large Flows, with the
# National Institute of Migration. Its plan: an assessment mission, long-distance assistance, a training of
# trainers at the southern border, a lessons-learned workshop; one training was cancelled.
MEXICO_IV_PLAN = [
    ("assessment_mission", "Assessment mission on the Protocol of Attention to Migrants in Large Flows",
     "Mexico City", date(2021, 9, 6), date(2021, 9, 8), ("es",),
     [("lead_expert", "legal_migration_mobility", "es", 1), ("expert", "irregular_migration_thb", "es", 1)]),
    ("long_distance_assistance", "Remote planning of the Protocol roll-out",
     None, date(2021, 10, 4), date(2021, 12, 17), ("es",), [("lead_expert", "legal_migration_mobility", "es", 1)]),
    ("training_of_trainers", "Training of trainers on the Protocol at the southern border",
     "Tapachula", date(2022, 3, 14), date(2022, 3, 18), ("es", "en"),
     [("trainer", "legal_migration_mobility", "es", 2), ("expert", "international_protection_asylum", "en", 1)]),
    ("workshop", "Lessons-learned workshop on the Protocol",
     "Mexico City", date(2023, 2, 13), date(2023, 2, 15), ("es",), [("lead_expert", "legal_migration_mobility", "es", 1)]),
]
CANCELLED = ("training", "Training on the Protocol at the northern border", "Tijuana", date(2022, 6, 20),
             date(2022, 6, 24), ("es",), [("trainer", "legal_migration_mobility", "es", 2)])


def plan_activity(db, action, officer, row) -> Activity:
    kind, title, city, start, end, languages, slots = row
    return create_activity(db, action, ActivityDraft(
        kind=ActivityKind(kind), title=title, start_date=start, end_date=end, is_remote=city is None, city=city,
        country_code="MX" if city else None, languages=languages,
        slots=tuple(SlotDraft(role=SlotRole(r), thematic_area_id=theme(db, t).id, language=lang, places=n)
                    for r, t, lang, n in slots)), actor=officer, now=T0)


def build_mexico_iv(db, officer):
    inm = make_institution(db, "MX", name="National Institute of Migration of Mexico", acronym="INM")
    action = make_action(db, officer, country="MX", name="Mexico IV", beneficiary=inm, start=date(2021, 6, 1),
                         status=ActionStatus.IMPLEMENTATION)
    for row in MEXICO_IV_PLAN:
        plan_activity(db, action, officer, row)
    cancelled = plan_activity(db, action, officer, CANCELLED)
    apply_activity_event(db, cancelled, ActivityEvent.CANCEL, actor=officer, now=T0, reason="Elections in Baja California.")
    db.commit()
    return action, inm


@pytest.fixture()
def app_ctx(app, db, clock):
    """An app context for the whole test, so the audit and reminder hooks read the test clock."""
    with app.app_context():
        yield


@pytest.fixture()
def officer(db, app_ctx):
    return make_user(db, Role.OFFICER)


@pytest.fixture()
def mexico_iv(db, officer):
    return build_mexico_iv(db, officer)[0]


@pytest.fixture()
def mexico_v(db, officer, mexico_iv):
    inm = mexico_iv.beneficiaries[0]
    return make_action(db, officer, country="MX", name="Mexico V", beneficiary=inm, start=date(2027, 1, 1))


def slots_of(activity) -> list[tuple]:
    return [(s.role, s.thematic_area.code, s.language, s.places) for s in activity.slots]


# --- The acceptance test ----------------------------------------------------------------------------


def test_starting_mexico_v_from_the_template_of_mexico_iv_plans_its_activities_at_the_same_relative_dates(
        db, officer, mexico_iv, mexico_v):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()

    created = apply_plan(db, template, mexico_v, date(2027, 3, 1), actor=officer, now=NOW)
    db.commit()
    db.expire_all()

    planned = db.scalars(select(Activity).where(Activity.action_id == mexico_v.id)
                         .order_by(Activity.start_date)).all()
    assert [a.id for a in planned] == sorted(a.id for a in created)
    assert [(a.kind.value, a.title, a.start_date, a.end_date) for a in planned] == [
        ("assessment_mission", MEXICO_IV_PLAN[0][1], date(2027, 3, 1), date(2027, 3, 3)),
        ("long_distance_assistance", MEXICO_IV_PLAN[1][1], date(2027, 3, 29), date(2027, 6, 11)),
        ("training_of_trainers", MEXICO_IV_PLAN[2][1], date(2027, 9, 6), date(2027, 9, 10)),
        ("workshop", MEXICO_IV_PLAN[3][1], date(2028, 8, 7), date(2028, 8, 9)),
    ]
    # The same gaps between activities as in Mexico IV, and the same lengths.
    source = [a for a in mexico_iv.activities if a.status is not ActivityStatus.CANCELLED]
    assert ([(a.start_date - source[0].start_date, a.end_date - a.start_date) for a in source]
            == [(a.start_date - planned[0].start_date, a.end_date - a.start_date) for a in planned])
    for new, old in zip(planned, source, strict=True):
        assert slots_of(new) == slots_of(old)
        assert (new.is_remote, new.city, new.country_code, new.languages) == (
            old.is_remote, old.city, old.country_code, old.languages)
        assert new.status is ActivityStatus.PLANNED
    assert slots_of(planned[2]) == [(SlotRole.TRAINER, "legal_migration_mobility", "es", 2),
                                    (SlotRole.EXPERT, "international_protection_asylum", "en", 1)]
    assert "Tijuana" not in {a.city for a in planned}  # the cancelled training is not part of the plan


def test_planned_activities_go_through_the_activity_service_history_audit_and_reminders(
        db, officer, mexico_iv, mexico_v):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    created = apply_plan(db, template, mexico_v, date(2027, 3, 1), actor=officer, now=NOW)
    db.commit()
    for activity in created:
        assert [(t.from_status, t.to_status, t.actor_id) for t in activity.transitions] == [
            (None, ActivityStatus.PLANNED, officer.id)]
        assert db.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == "activity", AuditEntry.object_id == activity.id,
            AuditEntry.event == "created")) == 1
        # "Activity coming" and "slots still open" are derived for each one, as for a hand-planned activity.
        rules = set(db.scalars(select(Reminder.rule).where(Reminder.subject_type == "activity",
                                                           Reminder.subject_id == activity.id)))
        assert {"activity_coming", "slots_open"} <= rules


def test_saving_keeps_relative_timing_places_languages_and_slots_and_leaves_cancelled_activities_out(
        db, officer, mexico_iv):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW,
                         description="Protocol roll-out with INM: assess, plan remotely, train trainers, review.")
    db.commit()
    db.expire_all()
    template = db.get(PlanTemplate, template.id)
    assert (template.source_action_id, template.created_by_id, template.created_at) == (mexico_iv.id, officer.id, NOW)
    assert [(i.position, i.kind.value, i.offset_days, i.duration_days, i.is_remote, i.city, i.languages)
            for i in template.items] == [
        (0, "assessment_mission", 0, 3, False, "Mexico City", ["es"]),
        (1, "long_distance_assistance", 28, 75, True, None, ["es"]),
        (2, "training_of_trainers", 189, 5, False, "Tapachula", ["es", "en"]),
        (3, "workshop", 525, 3, False, "Mexico City", ["es"]),
    ]
    assert [(s.role, s.thematic_area.code, s.language, s.places) for s in template.items[0].slots] == [
        (SlotRole.LEAD_EXPERT, "legal_migration_mobility", "es", 1), (SlotRole.EXPERT, "irregular_migration_thb", "es", 1)]
    assert template.span_days == 528


def test_a_template_name_is_given_once_whatever_its_case_and_spacing(db, officer, mexico_iv):
    save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    with pytest.raises(DomainError) as refused:
        save_plan(db, mexico_iv, "  mexico   IV PLAN ", actor=officer, now=NOW)
    assert refused.value.field == "name"
    assert "already called" in refused.value.message
    db.rollback()
    assert db.scalar(select(func.count()).select_from(PlanTemplate)) == 1


def test_an_action_without_activities_has_no_plan_to_save(db, officer, mexico_v):
    with pytest.raises(DomainError, match="Mexico V has no activity to save as a plan"):
        save_plan(db, mexico_v, "Empty plan", actor=officer, now=NOW)


def test_only_staff_save_or_apply_plans(db, officer, mexico_iv, mexico_v):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    requester = make_user(db, Role.REQUESTER, mexico_iv.beneficiaries[0])
    with pytest.raises(DomainError, match="Only programme staff"):
        save_plan(db, mexico_iv, "Requester's plan", actor=requester, now=NOW)
    with pytest.raises(DomainError, match="Only programme staff"):
        apply_plan(db, template, mexico_v, date(2027, 3, 1), actor=requester, now=NOW)


@pytest.mark.parametrize("status, rule", [
    (ActionStatus.CLOSED, "can no longer be changed"),
    (ActionStatus.CANCELLED, "can no longer be changed"),
    (ActionStatus.SUSPENDED, "resume it before planning activities from a template"),
    (ActionStatus.CLOSING, "closing needs every activity delivered or cancelled"),
])
def test_applying_to_an_action_that_cannot_take_activities_is_refused_naming_the_rule(
        db, officer, mexico_iv, status, rule):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    target = make_action(db, officer, country="MX", name="Mexico V", status=status, start=date(2027, 1, 1))
    with pytest.raises(DomainError, match=rule):
        apply_plan(db, template, target, date(2027, 3, 1), actor=officer, now=NOW)
    with pytest.raises(DomainError, match=rule):
        apply_item(db, template.items[0], target, date(2027, 3, 1), actor=officer, now=NOW)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Activity).where(Activity.action_id == target.id)) == 0


def test_a_resumed_action_takes_the_plan_again(db, officer, mexico_iv, mexico_v):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    apply_action_event(db, mexico_v, ActionEvent.SUSPEND, actor=officer, now=NOW, reason="Elections.")
    apply_action_event(db, mexico_v, ActionEvent.RESUME, actor=officer, now=NOW)
    assert len(apply_plan(db, template, mexico_v, date(2027, 3, 1), actor=officer, now=NOW)) == 4


def test_only_the_chosen_activities_of_a_plan_are_planned(db, officer, mexico_iv, mexico_v):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    training = template.items[2]
    created = apply_plan(db, template, mexico_v, date(2027, 3, 1), actor=officer, now=NOW, item_ids=[training.id])
    assert [(a.title, a.start_date, a.end_date) for a in created] == [
        (training.title, date(2027, 9, 6), date(2027, 9, 10))]


def test_choosing_none_or_another_templates_activity_is_refused(db, officer, mexico_iv, mexico_v):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    for ids in ([], [template.items[0].id, 10**6]):
        with pytest.raises(DomainError, match="Choose at least one activity") as refused:
            apply_plan(db, template, mexico_v, date(2027, 3, 1), actor=officer, now=NOW, item_ids=ids)
        assert refused.value.field == "items"
    assert mexico_v.activities == []


def test_one_activity_of_a_plan_starts_on_the_day_given_and_keeps_its_length_and_slots(
        db, officer, mexico_iv, mexico_v):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    activity = apply_item(db, template.items[2], mexico_v, date(2027, 5, 10), actor=officer, now=NOW)
    assert (activity.kind, activity.start_date, activity.end_date) == (
        ActivityKind.TRAINING_OF_TRAINERS, date(2027, 5, 10), date(2027, 5, 14))
    assert slots_of(activity) == [(SlotRole.TRAINER, "legal_migration_mobility", "es", 2),
                                  (SlotRole.EXPERT, "international_protection_asylum", "en", 1)]


def test_a_plan_that_would_run_past_the_calendar_is_refused_on_the_start_date(db, officer, mexico_iv, mexico_v):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    with pytest.raises(DomainError) as refused:
        planned_dates(template, date(9999, 6, 1))
    assert refused.value.field == "anchor"
    with pytest.raises(DomainError):
        apply_plan(db, template, mexico_v, date(9999, 6, 1), actor=officer, now=NOW)


def test_a_template_outlives_its_source_and_deleting_it_keeps_the_planned_activities(
        db, officer, mexico_iv, mexico_v):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    created = apply_plan(db, template, mexico_v, date(2027, 3, 1), actor=officer, now=NOW)
    db.commit()
    item_ids = [i.id for i in template.items]
    delete_template(db, template, actor=officer)
    db.commit()
    assert db.scalar(select(func.count()).select_from(PlanTemplateItem).where(PlanTemplateItem.id.in_(item_ids))) == 0
    assert db.scalar(select(func.count()).select_from(PlanTemplateSlot).where(
        PlanTemplateSlot.item_id.in_(item_ids))) == 0
    assert db.scalar(select(func.count()).select_from(Activity).where(
        Activity.id.in_([a.id for a in created]))) == len(created)


def test_deleting_the_source_action_keeps_the_template(db, officer, mexico_iv):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    db.delete(mexico_iv)
    db.commit()
    db.expire_all()
    kept = db.get(PlanTemplate, template.id)
    assert kept.source_action_id is None and len(kept.items) == 4


# --- Copying an activity ----------------------------------------------------------------------------


def test_a_copied_activity_is_planned_with_the_same_fields_and_slots_but_no_experts_or_deliverables(
        db, officer, app, mexico_iv):
    original = next(a for a in mexico_iv.activities if a.kind is ActivityKind.TRAINING_OF_TRAINERS)
    expert = make_expert(db, name="Ana Belén Ruiz", country="ES", languages={"es": "C2"},
                         themes={"legal_migration_mobility": 3})
    propose(db, original.slots[0], expert, actor=officer, now=T0)
    add_deliverable(db, mexico_iv, DeliverableDraft(kind="training_curriculum", title="Curriculum on the Protocol",
                                                    language="es", activity_id=original.id,
                                                    url="https://example.org/curriculum.pdf"),
                    actor=officer, now=T0)
    apply_activity_event(db, original, ActivityEvent.DELIVER, actor=officer, now=NOW)
    db.commit()

    copy = copy_activity(db, original, date(2027, 4, 12), actor=officer, now=NOW,
                         title="Training of trainers on the Protocol at the northern border")
    db.commit()
    assert copy.id != original.id and copy.action_id == mexico_iv.id
    assert (copy.kind, copy.city, copy.country_code, copy.is_remote, copy.languages) == (
        original.kind, original.city, original.country_code, original.is_remote, original.languages)
    assert (copy.start_date, copy.end_date) == (date(2027, 4, 12), date(2027, 4, 16))  # five days, like the original
    assert copy.status is ActivityStatus.PLANNED and copy.title.endswith("northern border")
    assert slots_of(copy) == slots_of(original)
    assert {s.id for s in copy.slots}.isdisjoint({s.id for s in original.slots})
    assert db.scalar(select(func.count()).select_from(Deployment).where(
        Deployment.activity_id == copy.id)) == 0
    assert db.scalar(select(func.count()).select_from(Deliverable).where(Deliverable.activity_id == copy.id)) == 0
    assert copy.report is None and copy.participants is None


def test_copying_in_a_cancelled_action_is_refused_and_nothing_is_planned(db, officer, mexico_iv):
    original = mexico_iv.activities[0]
    apply_action_event(db, mexico_iv, ActionEvent.CANCEL, actor=officer, now=NOW, reason="INM changed its priorities.")
    db.commit()
    before = len(mexico_iv.activities)
    with pytest.raises(DomainError, match="cancelled; it can no longer be changed"):
        copy_activity(db, original, date(2027, 4, 12), actor=officer, now=NOW)
    db.rollback()
    db.expire_all()
    assert len(mexico_iv.activities) == before


@pytest.mark.parametrize("title", ["   ", "x" * 201])
def test_a_copy_needs_a_title_of_reasonable_length(db, officer, mexico_iv, title):
    with pytest.raises(DomainError) as refused:
        copy_activity(db, mexico_iv.activities[0], date(2027, 4, 12), actor=officer, now=NOW, title=title)
    assert refused.value.field == "title"


def test_saving_and_deleting_a_template_are_in_the_audit_trail(db, officer, mexico_iv):
    template = save_plan(db, mexico_iv, "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    template_id = template.id
    delete_template(db, template, actor=officer)
    db.commit()
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "plan_template",
                                                  AuditEntry.object_id == template_id).order_by(AuditEntry.id)).all()
    assert [(e.event, e.object_label) for e in entries] == [("created", "Mexico IV plan"), ("deleted", "Mexico IV plan")]
    assert entries[0].changes["source_action_id"] == [None, mexico_iv.id]
