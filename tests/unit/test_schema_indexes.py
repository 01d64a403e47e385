"""Every foreign key can be followed from the other side without reading the whole table."""

from workflow.database import Base
from workflow.models import User  # noqa: F401 - registers every model


def leading_columns(table) -> set[str]:
    """The columns an index (or the primary key, or a unique constraint) starts with."""
    firsts = {next(iter(index.columns)).name for index in table.indexes if index.columns}  # not on expressions
    firsts.update(next(iter(c.columns)).name for c in table.constraints if getattr(c, "columns", None)
                  and c.__class__.__name__ in ("PrimaryKeyConstraint", "UniqueConstraint"))
    return firsts


def test_every_foreign_key_column_leads_an_index():
    missing = [f"{table.name}.{fk.parent.name}" for table in Base.metadata.sorted_tables
               for fk in table.foreign_keys
               if fk.parent.name not in leading_columns(table) and not fk.parent.unique]
    assert missing == [], f"foreign keys without an index: {missing}"
