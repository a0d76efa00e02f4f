"""Current query-planner statistics: taken after ``migrate`` and bulk writes, and on SQLite after every publish.

Without statistics, or with ones taken when the blog was empty, the planner guesses, and
guesses badly. SQLite read every row of Wagtail's page table to list five posts, and ran a
search's full-text match once for every entry of the search index (0.25 s for one search at
10,000 posts, under 5 ms with statistics). PostgreSQL, which believed 348 live pages among
10,000 after the bench generator, read the whole page table for a tag page (5 ms, not 0.2).

SQLite keeps none of its own: publishing is when the blog grows, so that is when they are
taken again, once the publish has committed; with a row limit per index they are
approximate but give the same plans, and cost about 10 ms at 10,000 posts and 100,000
comments. PostgreSQL's autovacuum keeps them between bulk writes (an import, the bench
generator), after which they are taken at once rather than whenever autovacuum comes by.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

ROWS_PER_INDEX = 1000
logger = logging.getLogger(__name__)


def analyze(using=DEFAULT_DB_ALIAS, **kwargs):
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={ROWS_PER_INDEX}")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def refresh_after_commit(**kwargs):
    """After a bulk write commits: stale statistics only slow pages down, so a failure must not fail the write."""

    def refresh():
        try:
            analyze()
        except DatabaseError:
            logger.exception("Could not refresh the query planner's statistics")

    transaction.on_commit(refresh)


def refresh_sqlite_after_publish(**kwargs):
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        refresh_after_commit()
