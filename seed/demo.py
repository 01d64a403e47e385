"""Load the demo portfolio (the tables in seed/data/portfolio/) through the same services the pages use.

Idempotent: whatever already exists (by Action name, institution name and country, e-mail,
request title) is left alone, so running it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.accounts.models import Role, User
from workflow.accounts.services import create_user
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.models import Action
from workflow.actions.publishing import PublicTexts, set_public_details, set_published
from workflow.actions.services import (
    ActionDraft,
    FinalReportDraft,
    apply_action_event,
    open_action,
    record_final_report,
)
from workflow.activities.lifecycle import ASSESSMENT_KINDS, ActivityEvent, ActivityKind, ActivityStatus
from workflow.activities.models import Activity, Deliverable, DeliverableKind, ExpertSlot, SlotRole
from workflow.activities.services import ActivityDraft, ActivityReport, apply_activity_event, create_activity
from workflow.activities.slots import SlotDraft
from workflow.core.errors import DomainError
from workflow.deployments.candidates import working_days
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment, DeploymentTransition
from workflow.deployments.services import apply_deployment_event, approve_release, propose
from workflow.experts.models import (
    Expert,
    ExpertLanguage,
    ExpertStatus,
    ExpertTheme,
    ExpertType,
    Gender,
    Unavailability,
)
from workflow.governance.models import Answer, Consultation, MemberKind, SteeringMember
from workflow.governance.services import add_member, answer_consultation, send_to_committee
from workflow.reference.models import Country, Institution, InstitutionKind, Region, SubTopic, ThematicArea
from workflow.reference.services import ensure_reference_data
from workflow.reminders.sync import sync_pending
from workflow.requests.lifecycle import RequestEvent, RequestStatus
from workflow.requests.models import Request
from workflow.requests.services import RequestDraft, apply_request_event, create_request

from . import portfolio, roster
from .knowledge import load_knowledge
from .missions import UPCOMING_ACTION, UPCOMING_TITLE, load_missions, prepare_mission, upcoming_activity
from .money import load_money

DEMO_PASSWORD = "peerflow-demo"

# (e-mail, name, role, institution key, country) — the fixed demo accounts.
DEMO_ACCOUNTS: list[tuple[str, str, Role, str | None, str | None]] = [
    ("admin@demo.peerflow.org", "Ada Admin (demo)", Role.ADMIN, None, None),
    ("officer@demo.peerflow.org", "Olga Officer (demo)", Role.OFFICER, None, None),
    ("requester.pe@demo.peerflow.org", "Rosa Quispe (demo)", Role.REQUESTER, "pe-requester", None),
    ("requester.bo@demo.peerflow.org", "Bruno Mamani (demo)", Role.REQUESTER, "bo-requester", None),
    ("focal.es@demo.peerflow.org", "Elena Focal (demo)", Role.MS_FOCAL_POINT, None, "ES"),
    ("expert@demo.peerflow.org", "Lucía Expert (demo)", Role.EXPERT, None, None),
    ("steering@demo.peerflow.org", "Sven Steering (demo)", Role.STEERING, None, None),
    ("eu.delegation@demo.peerflow.org", "Eva Delegation (demo)", Role.STEERING, None, None),
]

ORDER = [ActionStatus.ACCEPTED, ActionStatus.ASSESSMENT, ActionStatus.IMPLEMENTATION, ActionStatus.CLOSING,
         ActionStatus.CLOSED]


# The member countries of the regional Actions (the Latin American and Caribbean ones), for the map.
MEMBER_COUNTRIES = {
    "SICA": ("BZ", "CR", "DO", "GT", "HN", "NI", "PA", "SV"),
    "MERCOSUR": ("AR", "BR", "PY", "UY"),
    "IberRed": ("AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "GT", "HN", "MX", "NI", "PA", "PE", "PY", "SV",
                "UY", "VE"),
    "MIRPS": ("BZ", "CR", "GT", "HN", "MX", "PA", "SV"),
    "Gran Chaco": ("AR", "BO", "PY"),
}

# Translations staff have entered for some public pages; the others show the text as written.
PUBLIC_TEXTS = {
    "Peru": {
        "es": PublicTexts(title="Trata de seres humanos (TSH)"),
        "fr": PublicTexts(title="Traite des êtres humains (TEH)"),
    },
    "Peru III": {
        "es": PublicTexts(title="Tráfico ilícito de migrantes y trata de seres humanos"),
        "fr": PublicTexts(title="Trafic de migrants et traite des êtres humains"),
    },
}

# Actions not yet in the catalogue: those still being set up.
UNPUBLISHED = frozenset({ActionStatus.ACCEPTED, ActionStatus.ASSESSMENT, ActionStatus.CANCELLED})


# The seed's names for invented values (the tables' "invented" lists) -> the records' attributes.
FIELDS = {
    "start": ("planned_start", "start_date"), "end": ("planned_end", "end_date"), "date": ("issued_on",),
    "country": ("country_code",), "theme": ("thematic_area",),
}
DEMO_MARK = " (demo)"  # the README's marker for invented people


def _mark(record: Any, invented: list[str] | None) -> None:
    """Record what the seeds do not state: the whole record ("*") or the listed values."""
    invented = list(invented or ())
    if "*" in invented:
        record.invented, record.invented_fields = True, None
        return
    fields = {field for name in invented for field in FIELDS.get(name, (name,)) if hasattr(type(record), field)}
    record.invented, record.invented_fields = False, sorted(fields) or None


def _demo_name(name: str) -> str:
    return name if name.endswith(DEMO_MARK) else name + DEMO_MARK


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class _Loader:
    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.institutions: dict[str, Institution] = {}
        self.themes = {a.code: a for a in session.scalars(select(ThematicArea))}
        self.subtopics = {s.code: s for s in session.scalars(select(SubTopic))}
        self.lac = session.scalar(select(Region).where(Region.code == "latin_america_caribbean"))

    # -- people and institutions ------------------------------------------------------------
    def load_institutions(self) -> None:
        for spec in [*portfolio.INSTITUTIONS, *roster.EXTRA_INSTITUTIONS]:
            found = self.session.scalar(
                select(Institution).where(Institution.name == spec["name"], Institution.country_code == spec["country"])
            )
            if found is None:
                found = Institution(name=spec["name"], acronym=spec.get("acronym"), country_code=spec["country"],
                                    kind=InstitutionKind(spec["kind"]), organisation=spec.get("organisation"))
                self.session.add(found)
            self.institutions[spec["key"]] = found
        self.session.flush()

    def user(self, email: str, name: str, role: Role, institution: str | None = None, country: str | None = None) -> User:
        found = self.session.scalar(select(User).where(User.email == email))
        if found is None:
            found = create_user(
                self.session, email=email, name=name, role=role, password=DEMO_PASSWORD, now=self.now,
                institution_id=self.institutions[institution].id if institution else None,
                country_code=country, is_demo=True,
            )
        return found

    def load_accounts(self) -> None:
        for email, name, role, institution, country in DEMO_ACCOUNTS:
            self.user(email, name, role, institution, country)
        self.officer = self.user("officer@demo.peerflow.org", "", Role.OFFICER)

    def load_experts(self) -> None:
        known = set(self.session.scalars(select(Expert.email)))
        countries = set(self.session.scalars(select(Country.code)))
        for spec in [*portfolio.EXPERTS, *roster.roster()]:
            if spec["email"] in known:
                continue
            expert = Expert(
                name=_demo_name(spec["name"]), email=spec["email"], invented=True, gender=Gender(spec["gender"]),
                nationality=spec["nationality"],
                institution_id=self.institutions[spec["institution"]].id if spec.get("institution") else None,
                country_code=spec["country"], type=ExpertType(spec["type"]),
                years_experience=spec.get("years_experience", 0), status=ExpertStatus(spec.get("status", "active")),
                max_days_per_year=spec.get("max_days_per_year", 60), is_demo=True, created_at=self.now,
                updated_at=self.now, consent_at=self.now, consent_version="2026-01",
            )
            expert.languages = [ExpertLanguage(language=code, level=level) for code, level in spec["languages"].items()]
            expert.themes = [ExpertTheme(thematic_area_id=self.themes[code].id, level=level)
                             for code, level in spec["themes"].items()]
            expert.countries_worked = [self.session.get(Country, c) for c in spec.get("countries_worked", ())
                                       if c in countries]
            expert.unavailable = [Unavailability(start_date=_day(a), end_date=_day(b), reason=why)
                                  for a, b, why in spec.get("unavailable", ())]
            if spec["email"] == "expert@demo.peerflow.org":
                expert.user = self.session.scalar(select(User).where(User.email == spec["email"]))
                expert.calendar_token = "demo-calendar-" + "0" * 20  # a fixed, documented demo URL
            self.session.add(expert)
        self.session.flush()

    # -- past deployments -------------------------------------------------------------------
    def load_past_deployments(self) -> None:
        """The seeds' past deployments: experts of each Action's named administrations on its delivered activities.

        This imports history, so it writes completed deployments and their history rows directly
        rather than replaying invitations that happened years before the system existed.
        """
        if self.session.scalar(select(Deployment.id).limit(1)):
            return
        experts = self.session.scalars(select(Expert).order_by(Expert.id)).all()
        by_institution: dict[int, list[Expert]] = {}
        for expert in experts:
            if expert.institution_id is not None:
                by_institution.setdefault(expert.institution_id, []).append(expert)
        turn = 0
        actions = self.session.scalars(select(Action).order_by(Action.planned_start, Action.id)).all()
        for action in actions:
            # Sorted explicitly: a collection loaded earlier in the process keeps the order it was built in.
            institutions = sorted(action.expert_institutions, key=lambda inst: inst.id)
            pool = [e for inst in institutions for e in by_institution.get(inst.id, [])]
            if not pool:
                continue
            for activity in sorted(action.activities, key=lambda a: (a.start_date, a.id)):
                if activity.status is not ActivityStatus.REPORTED:
                    continue
                for slot in sorted(activity.slots, key=lambda s: s.id):
                    speakers = [e for e in pool if any(lang.language in (activity.languages or [slot.language])
                                                       and lang.level in ("B2", "C1", "C2") for lang in e.languages)]
                    for _ in range(slot.places):
                        if not speakers:
                            break
                        expert = speakers[turn % len(speakers)]
                        turn += 1
                        self.import_completed(slot, activity, action, expert)
                        if action.country_code and action.country_code not in {c.code for c in expert.countries_worked}:
                            expert.countries_worked.append(self.session.get(Country, action.country_code))
        self.session.flush()

    def import_completed(self, slot: ExpertSlot, activity: Activity, action: Action, expert: Expert) -> None:
        taken = self.session.scalar(select(func.count()).select_from(Deployment).where(
            Deployment.slot_id == slot.id, Deployment.expert_id == expert.id))
        if taken:
            return
        proposed = _at(activity.start_date) - timedelta(days=40)
        done = _at(activity.end_date) + timedelta(days=10)
        deployment = Deployment(
            slot=slot, activity_id=activity.id, expert=expert, role=slot.role,
            working_days=working_days(activity), status=DeploymentStatus.COMPLETED,
            invited_at=proposed, responded_at=proposed + timedelta(days=2),
            release_approved_at=proposed + timedelta(days=5) if expert.type is ExpertType.MS_OFFICIAL else None,
            mission_report=f"Mission report on “{activity.title}” ({action.name}), demo record.",
            mission_report_at=done, proposed_by_id=self.officer.id, created_at=proposed, updated_at=done,
        )
        self.session.add(deployment)
        steps = [(None, DeploymentStatus.PROPOSED, proposed), (DeploymentStatus.PROPOSED, DeploymentStatus.INVITED, proposed),
                 (DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED, proposed + timedelta(days=2)),
                 (DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED, proposed + timedelta(days=7)),
                 (DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED, done)]
        for source, target, at in steps:
            self.session.add(DeploymentTransition(deployment=deployment, actor_id=self.officer.id, at=at,
                                                  from_status=source, to_status=target))
        self.session.flush()

    def demo_expert(self) -> Expert | None:
        return self.session.scalar(select(Expert).where(Expert.email == "expert@demo.peerflow.org"))

    def book_demo_expert(self) -> None:
        """A mission still to come for the demo expert, through the real services: the meeting planned, her
        invitation accepted, released by her focal point and confirmed, the travel half booked, the checklist open.

        Booked before her open invitation is chosen, so that the invitation never clashes with it."""
        expert = self.demo_expert()
        action = self.session.scalar(select(Action).where(Action.name == UPCOMING_ACTION))
        if expert is None or expert.user is None or action is None or self.session.scalar(
                select(Activity.id).where(Activity.action_id == action.id, Activity.title == UPCOMING_TITLE)):
            return
        spec = upcoming_activity(self.now.date())
        asked = self.now - timedelta(days=20)
        focal = self.user("focal.es@demo.peerflow.org", "", Role.MS_FOCAL_POINT)
        try:
            with self.session.begin_nested():
                self.load_activity(action, spec, t0=asked - timedelta(days=21))
                activity = self.session.scalar(select(Activity).where(Activity.action_id == action.id,
                                                                      Activity.title == UPCOMING_TITLE))
                _mark(activity, spec["invented"])
                deployment = propose(self.session, activity.slots[0], expert, actor=self.officer, now=asked)
                for event, actor, at in ((DeploymentEvent.INVITE, self.officer, asked),
                                         (DeploymentEvent.ACCEPT, expert.user, asked + timedelta(days=2))):
                    apply_deployment_event(self.session, deployment, event, actor=actor, now=at)
                approve_release(self.session, deployment, actor=focal, now=asked + timedelta(days=4))
                apply_deployment_event(self.session, deployment, DeploymentEvent.CONFIRM, actor=self.officer,
                                       now=asked + timedelta(days=6))
                prepare_mission(self.session, deployment, officer=self.officer, expert=expert.user, now=self.now)
        except DomainError:
            return  # her calendar or the Action changed since an earlier load: the demo goes without it

    def invite_demo_expert(self) -> None:
        """Put one open invitation in the demo expert's portal, through the real services."""
        expert = self.demo_expert()
        if expert is None or self.session.scalar(select(Deployment.id).where(
                Deployment.expert_id == expert.id, Deployment.status == DeploymentStatus.INVITED)):
            return
        slots = self.session.scalars(
            select(ExpertSlot).join(Activity).where(Activity.status == ActivityStatus.PLANNED,
                                                    Activity.start_date > self.now.date())
            .order_by(Activity.start_date, ExpertSlot.id)
        ).all()
        for slot in slots:
            try:
                with self.session.begin_nested():
                    deployment = propose(self.session, slot, expert, actor=self.officer, now=self.now)
                    apply_deployment_event(self.session, deployment, DeploymentEvent.INVITE, actor=self.officer,
                                           now=self.now)
                return
            except DomainError:
                continue

    # -- Actions ------------------------------------------------------------------------------
    def load_actions(self) -> None:
        existing = set(self.session.scalars(select(Action.name)))
        for spec in portfolio.ACTIONS:
            if spec["name"] not in existing:
                self.load_action(spec)

    def load_action(self, spec: dict[str, Any]) -> None:
        start = _day(spec["start"])
        assert start is not None
        end = _day(spec.get("end"))
        t0 = _at(start)
        action = open_action(
            self.session,
            ActionDraft(
                title=spec["title"],
                thematic_area_id=self.themes[spec["theme"]].id,
                planned_start=start,
                planned_end=end,
                objective=spec.get("objective") or "",
                summary=spec.get("summary") or "",
                country_code=None if spec.get("regional") else spec["country"],
                region_id=self.lac.id,
                regional_name=spec["name"] if spec.get("regional") else None,
                beneficiary_ids=tuple(self.institutions[k].id for k in spec.get("beneficiaries", ())),
                subtopic_ids=tuple(self.subtopics[c].id for c in spec.get("subtopics", ()) if c in self.subtopics),
                expert_institution_ids=tuple(self.institutions[k].id for k in spec.get("expert_institutions", ())),
                name=spec["name"],
                officer_id=self.officer.id,
            ),
            actor=self.officer,
            now=t0,
        )
        target = ActionStatus(spec["status"])
        reach = ORDER.index(target)
        if reach >= 1:
            self.fire(action, ActionEvent.START_ASSESSMENT, t0)
        last = t0
        assessment_reported: datetime | None = None
        for activity_spec in sorted(spec.get("activities", ()), key=lambda a: a["start"]):
            done_at = self.load_activity(action, activity_spec, t0)
            last = max(last, done_at)
            if (ActivityKind(activity_spec["kind"]) in ASSESSMENT_KINDS and activity_spec["status"] == "reported"
                    and assessment_reported is None):
                assessment_reported = done_at
        self.load_deliverables(action, spec.get("deliverables", ()), t0)
        if reach >= 2:
            when = max(assessment_reported or t0, t0 + timedelta(days=1))
            self.fire(action, ActionEvent.START_IMPLEMENTATION, when, waiver=spec.get("assessment_waiver"))
        if reach >= 3:
            closing_at = last + timedelta(days=1)
            self.fire(action, ActionEvent.START_CLOSING, closing_at)
            report = spec.get("final_report")
            if report:
                record_final_report(
                    self.session, action,
                    FinalReportDraft(
                        results=report["results"], lessons_learned=report["lessons_learned"],
                        officials_trained_female=report.get("officials_trained_female", 0),
                        officials_trained_male=report.get("officials_trained_male", 0),
                        officials_trained_other=report.get("officials_trained_other", 0),
                        institutions_reached=report.get("institutions_reached", 0),
                    ),
                    actor=self.officer, now=closing_at + timedelta(days=7),
                )
        if reach >= 4:
            closed_at = closing_at + timedelta(days=14)
            self.fire(action, ActionEvent.CLOSE, max(closed_at, _at(end)) if end else closed_at)
        self.mark_invented(action, spec)
        self.make_public(action, spec)

    def mark_invented(self, action: Action, spec: dict[str, Any]) -> None:
        """What the seeds do not state, on the Action, its activities, deliverables and final report."""
        _mark(action, spec.get("invented"))
        by_title = {a["title"]: a for a in spec.get("activities", ())}
        for activity in action.activities:
            _mark(activity, by_title[activity.title].get("invented"))
        by_title = {d["title"]: d for d in spec.get("deliverables", ())}
        for deliverable in action.deliverables:
            _mark(deliverable, by_title[deliverable.title].get("invented"))
        report = spec.get("final_report")
        if action.final_report is not None and report:
            _mark(action.final_report, report.get("invented"))
        self.session.flush()

    def make_public(self, action: Action, spec: dict[str, Any]) -> None:
        """Member countries, translations and publication, as staff would enter them."""
        self.session.flush()
        members = MEMBER_COUNTRIES.get(spec["name"]) if action.is_regional else None
        texts = PUBLIC_TEXTS.get(spec["name"], {})
        if members or texts:
            set_public_details(self.session, action, translations=texts, member_countries=members,
                               version=action.version, actor=self.officer, now=self.now)
            self.session.flush()
        if action.status not in UNPUBLISHED and action.objective.strip():
            set_published(action, True, version=action.version, actor=self.officer, now=self.now)

    def fire(self, action: Action, event: ActionEvent, at: datetime, waiver: str | None = None) -> None:
        apply_action_event(self.session, action, event, actor=self.officer, now=at, waiver=waiver)

    def load_activity(self, action: Action, spec: dict[str, Any], t0: datetime) -> datetime:
        """Create the activity and walk it to its status; return when its last step happened."""
        start, end = _day(spec["start"]), _day(spec["end"])
        assert start and end
        planned_at = min(t0, _at(start) - timedelta(days=45))
        activity = create_activity(
            self.session, action,
            ActivityDraft(
                kind=ActivityKind(spec["kind"]), title=spec["title"], start_date=start, end_date=end,
                is_remote=bool(spec.get("remote")), city=spec.get("city"), country_code=spec.get("country"),
                languages=tuple(spec.get("languages") or ("es",)),
                slots=tuple(
                    SlotDraft(role=SlotRole(s["role"]), thematic_area_id=self.themes[s["theme"]].id,
                              language=s.get("language", "es"), places=s.get("count", 1))
                    for s in spec.get("slots", ())
                ),
            ),
            actor=self.officer, now=planned_at,
        )
        status = ActivityStatus(spec["status"])
        step = lambda event, at, **kw: apply_activity_event(  # noqa: E731
            self.session, activity, event, actor=self.officer, now=at, **kw)
        if status is ActivityStatus.CANCELLED:
            step(ActivityEvent.CANCEL, _at(start) - timedelta(days=10),
                 reason=spec.get("reason") or "Cancelled at the partner's request.")
            return _at(start) - timedelta(days=10)
        if status is ActivityStatus.PLANNED:
            return planned_at
        confirmed_at = min(_at(start) - timedelta(days=21), self.now)
        step(ActivityEvent.CONFIRM, max(confirmed_at, planned_at))
        if status is ActivityStatus.CONFIRMED:
            return confirmed_at
        step(ActivityEvent.DELIVER, _at(end, 17))
        if status is ActivityStatus.DELIVERED:
            return _at(end, 17)
        participants = spec.get("participants") or {}
        reported_at = _at(end) + timedelta(days=7)
        step(ActivityEvent.REPORT, reported_at, report=ActivityReport(
            summary=spec.get("report") or spec["title"],
            participants_female=participants.get("female", 0),
            participants_male=participants.get("male", 0),
            participants_other=participants.get("other", 0),
        ))
        return reported_at

    def load_deliverables(self, action: Action, specs: Iterable[dict[str, Any]], t0: datetime) -> None:
        for spec in specs:
            issued = _day(spec.get("date"))
            self.session.add(Deliverable(
                action=action, kind=DeliverableKind(spec["kind"]), title=spec["title"], language=spec["language"],
                issued_on=issued, url=spec.get("url"), is_demo=True, uploaded_by_id=self.officer.id,
                created_at=_at(issued) if issued else t0,
            ))
        self.session.flush()

    # -- requests -----------------------------------------------------------------------------
    def load_requests(self) -> None:
        for spec in portfolio.REQUESTS:
            institution = self.institutions[spec["institution"]]
            if self.session.scalar(select(Request.id).where(Request.institution_id == institution.id,
                                                            Request.title == spec["title"])):
                continue
            author = self.requester_for(institution)
            submitted = _day(spec.get("submitted")) or self.now.date()
            drafted = _at(submitted) - timedelta(days=5)
            request = create_request(
                self.session,
                RequestDraft(title=spec["title"], description=spec["description"],
                             thematic_area_id=self.themes[spec["theme"]].id),
                actor=author, now=drafted,
            )
            status = RequestStatus(spec["status"])
            if status is RequestStatus.DRAFT:
                continue
            apply_request_event(self.session, request, RequestEvent.SUBMIT, actor=author, now=_at(submitted))
            if status is RequestStatus.SUBMITTED:
                continue
            reviewed = _at(submitted) + timedelta(days=3)
            apply_request_event(self.session, request, RequestEvent.START_REVIEW, actor=self.officer, now=reviewed)
            if status is RequestStatus.CLARIFICATION_REQUESTED:
                apply_request_event(self.session, request, RequestEvent.ASK_CLARIFICATION, actor=self.officer,
                                    now=reviewed + timedelta(days=2), reason=spec["clarification"])
            elif status is RequestStatus.DECLINED:
                apply_request_event(self.session, request, RequestEvent.DECLINE, actor=self.officer,
                                    now=reviewed + timedelta(days=4), reason=spec["decline_reason"])

    # -- the Steering Committee -----------------------------------------------------------------
    def load_committee(self) -> None:
        """A committee member with a veto and the EU delegation; one request under their consultation."""
        admin = self.user("admin@demo.peerflow.org", "", Role.ADMIN)
        for email, kind, veto in (("steering@demo.peerflow.org", MemberKind.COMMITTEE_MEMBER, True),
                                  ("eu.delegation@demo.peerflow.org", MemberKind.EU_DELEGATION, False)):
            person = self.user(email, "", Role.STEERING)
            if not self.session.scalar(select(SteeringMember.id).where(SteeringMember.user_id == person.id)):
                add_member(self.session, person.id, kind, veto, actor=admin, now=self.now)
        request = self.session.scalar(select(Request).where(
            Request.title == "Identification of persons in need of international protection at the border"))
        if request is None or request.status is not RequestStatus.UNDER_REVIEW or self.session.scalar(
                select(Consultation.id).where(Consultation.request_id == request.id)):
            return
        send_to_committee(self.session, request, (self.now + timedelta(days=10)).date(), actor=self.officer,
                          now=self.now)
        delegation = self.user("eu.delegation@demo.peerflow.org", "", Role.STEERING)
        answer_consultation(self.session, request, Answer.SUPPORT, "Complements the EU's work on asylum at the "
                            "border; no overlap with other donors.", actor=delegation, now=self.now)

    def requester_for(self, institution: Institution) -> User:
        found = self.session.scalar(
            select(User).where(User.institution_id == institution.id, User.role == Role.REQUESTER).order_by(User.id)
        )
        if found:
            return found
        code = institution.country_code.lower()
        return self.user(f"requester.{code}.{institution.id}@demo.peerflow.org",
                         f"Focal point, {institution.acronym or institution.name} (demo)", Role.REQUESTER,
                         next(k for k, v in self.institutions.items() if v is institution))


def load_demo(session: Session, now: datetime) -> None:
    """Load reference data, demo accounts, experts, the LAC portfolio and open requests."""
    ensure_reference_data(session)
    loader = _Loader(session, now)
    loader.load_institutions()
    loader.load_accounts()
    loader.load_experts()
    loader.load_actions()
    from .results import load_results  # noqa: PLC0415 - it reads this module's helpers

    load_results(session, loader.officer, now)  # the results the documents report (seed/data/portfolio/results.json)
    loader.load_past_deployments()
    loader.book_demo_expert()  # her mission to come: travel and checklist under way (seed/missions.py)
    loader.invite_demo_expert()
    loader.load_requests()
    loader.load_committee()
    load_money(session, now)  # rates, budgets and costs: all invented (seed/money.py)
    load_missions(session, now)  # travel, checklists and claims of two past missions: all invented (seed/missions.py)
    load_knowledge(session, loader.officer, now)  # the 2018 Mexico City round-table and its good practices
    session.flush()
    sync_pending(session, now)  # the reminders as of the load's day (the commit would take the clock's)


def portfolio_counts(session: Session) -> dict[str, int]:
    def count(model: type) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    return {
        "Actions": count(Action), "activities": count(Activity), "deliverables": count(Deliverable),
        "experts": count(Expert), "deployments": count(Deployment), "institutions": count(Institution), "requests": count(Request), "users": count(User),
    }
