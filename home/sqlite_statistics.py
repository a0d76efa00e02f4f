"""Current query-planner statistics for SQLite: refreshed after ``migrate`` and after every publish.

Without statistics, or with ones taken when the blog was empty, SQLite guesses, and
guesses badly: it reads every row of Wagtail's page table to list five posts, and
runs a full-text match once for every entry of the search index. At 10,000 posts
that made the front page 30 ms slower and one search 0.25 s (a common word: 45 s).
Publishing is when the blog grows, so that is when they are taken again; with a
row limit per index they are approximate but give the same plans, and cost about
10 ms at 10,000 posts and 100,000 comments. PostgreSQL keeps its own (autovacuum).
"""

from django.db import DEFAULT_DB_ALIAS, connections

ROWS_PER_INDEX = 1000


def analyze(using=DEFAULT_DB_ALIAS, **kwargs):
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA analysis_limit={ROWS_PER_INDEX}")
            cursor.execute("ANALYZE")
