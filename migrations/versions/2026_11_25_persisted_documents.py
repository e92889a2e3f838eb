"""trusted documents; partner keys bound to a client's documents, with a cost budget

Partner keys were limited by operation names the caller chooses; they are now bound to a
client's registered documents (persisted_document), which the server holds itself.

Revision ID: 0007_persisted_documents
Revises: 0006_pool_changed_at
Create Date: 2026-11-25 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.kit.types

revision: str = "0007_persisted_documents"
down_revision: str | Sequence[str] | None = "0006_pool_changed_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "persisted_document",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("client_name", sa.String(length=200), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("created_at", app.kit.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persisted_document")),
        sa.UniqueConstraint(
            "client_name", "document_id", name=op.f("uq_persisted_document_client_name_document_id")
        ),
    )
    op.create_index(
        op.f("ix_persisted_document_document_id"), "persisted_document", ["document_id"]
    )
    with op.batch_alter_table("api_client") as batch:
        batch.drop_column("allowed_operations")
        batch.add_column(sa.Column("documents_client", sa.String(length=200), nullable=True))
        batch.add_column(
            sa.Column(
                "documents_mode", sa.String(length=10), nullable=False, server_default="ENFORCE"
            )
        )
        batch.add_column(sa.Column("cost_budget", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_client") as batch:
        batch.drop_column("cost_budget")
        batch.drop_column("documents_mode")
        batch.drop_column("documents_client")
        batch.add_column(
            sa.Column("allowed_operations", sa.JSON(), nullable=False, server_default="[]")
        )
    op.drop_index(op.f("ix_persisted_document_document_id"), table_name="persisted_document")
    op.drop_table("persisted_document")
