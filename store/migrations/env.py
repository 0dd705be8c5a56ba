"""Alembic's environment: migrations run on the connection :func:`store.database.upgrade`
hands over, inside its one transaction (never on a URL of their own)."""

from alembic import context

from store.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters a table by copying it
    transactional_ddl=True,  # the caller's transaction holds every step
)
with context.begin_transaction():
    context.run_migrations()
