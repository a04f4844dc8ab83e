"""syndication index: fingerprints, anchor and line postings, verified matches

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 04:21:58.164405
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('syndication_anchor',
    sa.Column('hash', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('article_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('hash', 'article_id', name=op.f('pk_syndication_anchor')),
    sqlite_with_rowid=False
    )
    op.create_table('syndication_line',
    sa.Column('hash', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('article_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('hash', 'article_id', name=op.f('pk_syndication_line')),
    sqlite_with_rowid=False
    )
    op.create_table('syndication_fingerprint',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('words', sa.Integer(), nullable=False),
    sa.Column('anchors', sa.LargeBinary(), nullable=False),
    sa.Column('lines', sa.LargeBinary(), nullable=False),
    sa.Column('canonical_key', sa.String(length=2000), nullable=True),
    sa.Column('indexed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_syndication_fingerprint_article_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_syndication_fingerprint'))
    )
    with op.batch_alter_table('syndication_fingerprint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_syndication_fingerprint_canonical_key'), ['canonical_key'], unique=False)

    op.create_table('syndication_match',
    sa.Column('low_id', sa.Integer(), nullable=False),
    sa.Column('high_id', sa.Integer(), nullable=False),
    sa.Column('shared', sa.Integer(), nullable=False),
    sa.Column('low_in_high', sa.Float(), nullable=False),
    sa.Column('high_in_low', sa.Float(), nullable=False),
    sa.Column('resemblance', sa.Float(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['high_id'], ['article.id'], name=op.f('fk_syndication_match_high_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['low_id'], ['article.id'], name=op.f('fk_syndication_match_low_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('low_id', 'high_id', name=op.f('pk_syndication_match'))
    )
    with op.batch_alter_table('syndication_match', schema=None) as batch_op:
        batch_op.create_index('ix_syndication_match_high_id', ['high_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('syndication_match', schema=None) as batch_op:
        batch_op.drop_index('ix_syndication_match_high_id')

    op.drop_table('syndication_match')
    with op.batch_alter_table('syndication_fingerprint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_syndication_fingerprint_canonical_key'))

    op.drop_table('syndication_fingerprint')
    op.drop_table('syndication_line')
    op.drop_table('syndication_anchor')
