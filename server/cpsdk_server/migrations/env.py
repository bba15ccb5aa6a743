"""Alembic's environment: runs on the connection :func:`cpsdk_server.migrate.upgrade` hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from cpsdk_server.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # run by the alembic command itself
    with create_engine(config.get_main_option("sqlalchemy.url") or "").begin() as opened:
        context.configure(connection=opened, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
