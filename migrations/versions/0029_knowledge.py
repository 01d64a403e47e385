"""Knowledge-sharing events across Actions (with participants by country, institution and gender) and the
good-practices library (sources, evidence, impact areas).

Revision ID: 0029
Revises: 0027
Create Date: 2026-12-07 10:59:11.643509
"""

import sqlalchemy as sa
from alembic import op

import workflow.database

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "knowledge_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("thematic_area_id", sa.Integer(), nullable=True),
        sa.Column("theme", sa.String(length=300), nullable=True),
        sa.Column("host_institution", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("staffing_activity_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", workflow.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", workflow.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("invented", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("invented_fields", sa.JSON(), nullable=True),
        sa.Column("search_key", sa.String(length=600), server_default="", nullable=False),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_knowledge_events_end_after_start")),
        sa.ForeignKeyConstraint(
            ["country_code"], ["countries.code"], name=op.f("fk_knowledge_events_country_code_countries")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_knowledge_events_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_knowledge_events_region_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["thematic_area_id"],
            ["thematic_areas.id"],
            name=op.f("fk_knowledge_events_thematic_area_id_thematic_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["staffing_activity_id"],
            ["activities.id"],
            name=op.f("fk_knowledge_events_staffing_activity_id_activities"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_events")),
        sa.UniqueConstraint("staffing_activity_id", name=op.f("uq_knowledge_events_staffing_activity_id")),
    )
    with op.batch_alter_table("knowledge_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_knowledge_events_country_code"), ["country_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_knowledge_events_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_knowledge_events_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_knowledge_events_search_key"), ["search_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_knowledge_events_start_date"), ["start_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_knowledge_events_thematic_area_id"), ["thematic_area_id"], unique=False
        )

    op.create_table(
        "knowledge_event_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("institution", sa.String(length=300), nullable=True),
        sa.Column("female", sa.Integer(), nullable=False),
        sa.Column("male", sa.Integer(), nullable=False),
        sa.Column("other", sa.Integer(), nullable=False),
        sa.Column("invented", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("invented_fields", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "female >= 0 AND male >= 0 AND other >= 0",
            name=op.f("ck_knowledge_event_participants_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["countries.code"],
            name=op.f("fk_knowledge_event_participants_country_code_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["knowledge_events.id"],
            name=op.f("fk_knowledge_event_participants_event_id_knowledge_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_event_participants")),
    )
    with op.batch_alter_table("knowledge_event_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_knowledge_event_participants_country_code"), ["country_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_knowledge_event_participants_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("thematic_area_id", sa.Integer(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("impact_areas", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "published", "withdrawn", name="practicestatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("published_at", workflow.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", workflow.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", workflow.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("invented", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("invented_fields", sa.JSON(), nullable=True),
        sa.Column("search_key", sa.String(length=600), server_default="", nullable=False),
        sa.CheckConstraint(
            "status != 'published' OR published_at IS NOT NULL", name=op.f("ck_practices_published_has_date")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_practices_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["knowledge_events.id"],
            name=op.f("fk_practices_event_id_knowledge_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_practices_region_id_regions")),
        sa.ForeignKeyConstraint(
            ["thematic_area_id"],
            ["thematic_areas.id"],
            name=op.f("fk_practices_thematic_area_id_thematic_areas"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practices")),
    )
    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practices_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_practices_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_practices_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_practices_search_key"), ["search_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_practices_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_practices_thematic_area_id"), ["thematic_area_id"], unique=False)

    op.create_table(
        "knowledge_event_actions",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_knowledge_event_actions_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["knowledge_events.id"],
            name=op.f("fk_knowledge_event_actions_event_id_knowledge_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "action_id", name=op.f("pk_knowledge_event_actions")),
    )
    with op.batch_alter_table("knowledge_event_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_knowledge_event_actions_action_id"), ["action_id"], unique=False)

    op.create_table(
        "practice_actions",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_practice_actions_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_actions_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "action_id", name=op.f("pk_practice_actions")),
    )
    with op.batch_alter_table("practice_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_actions_action_id"), ["action_id"], unique=False)

    op.create_table(
        "practice_deliverables",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("deliverable_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deliverable_id"],
            ["deliverables.id"],
            name=op.f("fk_practice_deliverables_deliverable_id_deliverables"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_deliverables_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "deliverable_id", name=op.f("pk_practice_deliverables")),
    )
    with op.batch_alter_table("practice_deliverables", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_deliverables_deliverable_id"), ["deliverable_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("practice_deliverables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_deliverables_deliverable_id"))

    op.drop_table("practice_deliverables")
    with op.batch_alter_table("practice_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_actions_action_id"))

    op.drop_table("practice_actions")
    with op.batch_alter_table("knowledge_event_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_event_actions_action_id"))

    op.drop_table("knowledge_event_actions")
    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practices_thematic_area_id"))
        batch_op.drop_index(batch_op.f("ix_practices_status"))
        batch_op.drop_index(batch_op.f("ix_practices_search_key"))
        batch_op.drop_index(batch_op.f("ix_practices_region_id"))
        batch_op.drop_index(batch_op.f("ix_practices_event_id"))
        batch_op.drop_index(batch_op.f("ix_practices_created_by_id"))

    op.drop_table("practices")
    with op.batch_alter_table("knowledge_event_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_event_participants_event_id"))
        batch_op.drop_index(batch_op.f("ix_knowledge_event_participants_country_code"))

    op.drop_table("knowledge_event_participants")
    with op.batch_alter_table("knowledge_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_events_thematic_area_id"))
        batch_op.drop_index(batch_op.f("ix_knowledge_events_start_date"))
        batch_op.drop_index(batch_op.f("ix_knowledge_events_search_key"))
        batch_op.drop_index(batch_op.f("ix_knowledge_events_region_id"))
        batch_op.drop_index(batch_op.f("ix_knowledge_events_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_knowledge_events_country_code"))

    op.drop_table("knowledge_events")
