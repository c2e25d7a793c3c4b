"""messages.claimed_until: a delivery run's hold on the rows it is sending

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:30:00
"""
from alembic import op
import sqlalchemy as sa

import models.tables


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('messages', sa.Column('claimed_until', models.tables.UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.drop_column('claimed_until')
