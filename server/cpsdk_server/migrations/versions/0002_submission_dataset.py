"""A submission remembers the dataset its workbook was built from, so that a roll-up can be built from records.

``submissions.dataset_sha256``: the SHA-256 of the stored dataset (JSON) — the uploaded dataset of a submission
made from one, the combined datasets of a roll-up built from them; NULL otherwise. The column is added, never
filled in: submissions stay append-only (their triggers are untouched), and a submission made before this
migration from a dataset upload is still found through its upload.

Revision ID: 0002
Revises: 0001
Create Date: 2024-07-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``submissions.dataset_sha256`` (ALTER TABLE ADD COLUMN: the table and its triggers stay as they are)."""
    op.add_column("submissions", sa.Column("dataset_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    """Drop the column again."""
    op.drop_column("submissions", "dataset_sha256")
