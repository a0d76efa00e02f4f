"""Fresh query-planner statistics for SQLite after every ``migrate``, which every deploy runs.

Without statistics SQLite guesses, and for Wagtail's search index it guesses badly:
it walks every index entry of a content type and runs the full-text match once
for each, so one search over 10,000 posts took 120 ms for a rare word and minutes
for a common one. With them it runs the match once (under 1 ms for a rare word).
The shape of the statistics, not their size, decides that plan, so those from a
small blog stay good as it grows. PostgreSQL keeps its own (autovacuum).
"""

from django.db import connections


def analyze(using="default", **kwargs):
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
