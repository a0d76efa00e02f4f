"""Current query-planner statistics for SQLite: refreshed after ``migrate`` and after every publish.

Without statistics, or with ones taken when the blog was empty, SQLite guesses, and
guesses badly: it read every row of Wagtail's page table to list five posts, and
ran a search's full-text match once for every entry of the search index (0.25 s
for one search at 10,000 posts, under 5 ms with statistics). Publishing is when
the blog grows, so that is when they are taken again, once the publish has
committed; with a row limit per index they are approximate but give the same
plans, and cost about 10 ms at 10,000 posts and 100,000 comments. PostgreSQL
keeps its own (autovacuum).
"""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

ROWS_PER_INDEX = 1000
logger = logging.getLogger(__name__)


def analyze(using=DEFAULT_DB_ALIAS, **kwargs):
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA analysis_limit={ROWS_PER_INDEX}")
            cursor.execute("ANALYZE")


def refresh_after_commit(**kwargs):
    """After a publish commits: stale statistics only slow pages down, so a failure must not fail the publish."""

    def refresh():
        try:
            analyze()
        except DatabaseError:
            logger.exception("Could not refresh SQLite's statistics after a publish")

    transaction.on_commit(refresh)
