"""The demo's knowledge work: the July 2018 Regional Knowledge Sharing Round-table in Mexico City (shared/seeds/003)
and good practices drawn from what that article says of the Actions it reviewed.

Word for word from the seed: the event's title, city, host, theme, countries and the practices' descriptions and
conditions. Invented, and marked so: the event's exact dates (the seed says "July 2018 … over two and a half days"),
every participant count (the seed gives countries, not numbers), the practices' short titles (our wording) and their
impact areas (our reading of the four areas of seed 004). A practice's evidence: the deliverables the seed names,
and the indicators of its source Actions' results frameworks in its impact areas.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.accounts.models import User
from workflow.actions.models import Action
from workflow.activities.models import Deliverable
from workflow.knowledge.models import KnowledgeEvent
from workflow.knowledge.services import (
    EventDraft,
    ParticipantGroup,
    PracticeDraft,
    create_event,
    create_practice,
    publish_practice,
    set_participants,
)
from workflow.reference.models import Region, ThematicArea
from workflow.results.models import Indicator

ROUND_TABLE = "Regional Knowledge Sharing Round-table for Latin America and the Caribbean"
REVIEWED = ("Costa Rica", "Costa Rica II", "Dominican Republic II", "Mexico", "IberRed")
# "gathered representatives from Argentina, Costa Rica, Dominican Republic, Mexico, Paraguay and Peru and MIEUX
# Experts from Argentina and Spain": the six countries, then the experts. Counts are invented.
PARTICIPANTS = (("AR", None, 2, 1, 0), ("CR", None, 2, 2, 0), ("DO", None, 1, 2, 0),
                ("MX", "National Institute of Migration", 4, 3, 0), ("PY", None, 1, 1, 0), ("PE", None, 2, 1, 0),
                ("AR", "MIEUX Experts", 1, 0, 0), ("ES", "MIEUX Experts", 1, 1, 0))

PRACTICES: tuple[dict[str, Any], ...] = (
    {"title": "Inter-institutional working groups that share the journey to adoption",
     "description": "MIEUX’s key input was to organise inter-institutional working groups on topics crucial for "
                    "integration (xenophobia, education, labour market, health and vulnerable migrants) and “share "
                    "the journey” through the successive stages of adoption and implementation by different "
                    "institutions and government bodies.",
     "conditions": "Delegates mentioned how the concept of integration had evolved through the exchange with MIEUX "
                   "experts from Spain to the current understanding of integration as a shared responsibility of "
                   "both migrants and institutions.",
     "impact_areas": ("policy_development", "inter_institutional_coordination"),
     "actions": ("Costa Rica", "Costa Rica II"), "evidence": ("National Integration Plan of Costa Rica",)},
    {"title": "Flexibility and adaptation to the local context",
     "description": "In the Dominican Republic, MIEUX supported the National Migration School under the National "
                    "Institute of Migration to develop its curriculum and the drafting of a manual to train "
                    "journalists on the subject of migration in 2017.",
     "conditions": "Participants cited MIEUX's flexibility and its ability to adapt the content of the Action to the "
                   "local context and needs as the good practices that arose during the intervention.",
     "impact_areas": ("capacity_building", "knowledge_production"),
     "actions": ("Dominican Republic II",), "evidence": ("Training programme of the National School of Migration",
                                                         "Manual for training journalists on migration")},
    {"title": "A unified regional response for unaccompanied migrant children",
     "description": "MIEUX supported the organisation of a regional workshop that brought together representatives "
                    "from El Salvador, Guatemala, Honduras, Mexico, the United States and EU MS experts, NGOs as "
                    "well as major UN agencies dealing with the issue of unaccompanied minors in order to exchange "
                    "on good practices on how to conceive a unified regional response to assist and protect "
                    "unaccompanied minors.",
     "conditions": "In Mexico, faced with a 300% increase in reported flows of Unaccompanied Migrant Children (UMC) "
                   "in the last three years, transversal inter-institutional cooperation was identified as a key "
                   "priority by the National Migration Institute in order to improve assistance and protection to "
                   "vulnerable migrants.",
     "impact_areas": ("inter_institutional_coordination",),
     "actions": ("Mexico",), "evidence": ("Handbook on EU practices",)},
    {"title": "Smuggling of migrants on the agenda of a prosecutors' network",
     "description": "MIEUX supported the Ibero-American Network of Public Prosecutors on Trafficking in Persons to "
                    "incorporate a component on SOM on occasion of its yearly gathering in 2017. The result of these "
                    "efforts is the revised Protocol for Inter-Institutional Cooperation, which incorporates a gender "
                    "dimension and human-rights based approach, published in November 2017.",
     "conditions": "Smuggling of Migrants (SOM) is a major issue and increasingly addressed at regional, national "
                   "and sub-national levels.",
     "impact_areas": ("inter_institutional_coordination", "policy_development"),
     "actions": ("IberRed",), "evidence": ("Protocol for Inter-institutional Cooperation",)},
    {"title": "Peer-to-peer knowledge exchange",
     "description": "10 years into its implementation, MIEUX’s peer-to-peer knowledge-exchange model has been able "
                    "to produce some noteworthy results in Latin America and the Caribbean.",
     "conditions": None, "impact_areas": ("knowledge_production",), "actions": (), "evidence": ()},
)


def load_knowledge(session: Session, officer: User, now: datetime) -> None:
    """The round-table and its practices, once (loading the demo again changes nothing)."""
    if session.scalar(select(KnowledgeEvent.id).where(KnowledgeEvent.title == ROUND_TABLE)):
        return
    actions = {a.name: a for a in session.scalars(select(Action).where(Action.name.in_(REVIEWED)))}
    lac = session.scalar(select(Region).where(Region.code == "latin_america_caribbean"))
    theme = session.scalar(select(ThematicArea).where(ThematicArea.code == "legal_migration_mobility"))
    event = create_event(session, EventDraft(
        title=ROUND_TABLE, host_institution="National Institute of Migration", start_date=date(2018, 7, 10),
        end_date=date(2018, 7, 12), region_id=lac.id if lac else None,
        theme="(re)-integration and protection of vulnerable migrants", city="Mexico City", country_code="MX",
        summary="Conceived as part the commemorative events to mark 10 years of MIEUX interventions, these events are "
                "a chance for MIEUX partners to exchange common experiences and good practices stemming from MIEUX "
                "Actions.",
        action_ids=tuple(a.id for a in actions.values())), actor=officer, now=now)
    event.invented_fields = ["end_date", "start_date"]
    set_participants(session, event, [ParticipantGroup(*row) for row in PARTICIPANTS], actor=officer, now=now)
    for group in event.participants:
        group.invented_fields = ["female", "male", "other"]
    for spec in PRACTICES:
        sources = [actions[name] for name in spec["actions"] if name in actions]
        evidence = [d.id for d in session.scalars(select(Deliverable).where(
            Deliverable.action_id.in_([a.id for a in sources]))) if d.title.startswith(spec["evidence"])]
        # The indicators of the source Actions' frameworks (seed/results.py) in the practice's impact areas.
        indicators = [i.id for i in session.scalars(select(Indicator).where(
            Indicator.action_id.in_([a.id for a in sources]), Indicator.impact_area.in_(spec["impact_areas"])))]
        practice = create_practice(session, PracticeDraft(
            title=spec["title"], description=spec["description"], conditions=spec["conditions"],
            impact_areas=spec["impact_areas"], thematic_area_id=(sources[0].thematic_area_id if sources else
                                                                 theme.id if theme else None),
            region_id=lac.id if lac else None, event_id=event.id, action_ids=tuple(a.id for a in sources),
            deliverable_ids=tuple(evidence), indicator_ids=tuple(indicators)), actor=officer, now=now)
        practice.invented_fields = ["impact_areas", "title"]
        publish_practice(session, practice, actor=officer, now=now)
    session.flush()

