"""Alembic environment: runs migrations on the connection handed over by db.migrate."""

from alembic import context

from db.migrate import include_object
from db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through db.migrate.upgrade(), which passes a connection.")

# render_as_batch: SQLite cannot ALTER most things, so Alembic rebuilds tables in batch mode.
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
