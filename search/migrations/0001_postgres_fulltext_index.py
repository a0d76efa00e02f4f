"""PostgreSQL: an index for the full-text match that Wagtail's database search runs on ``title || body``.

Wagtail indexes ``title`` and ``body`` apart but matches their concatenation, which neither
index serves: each search read every entry of the search index (17 ms a query at 10,000
posts). On other engines, nothing.
"""

from django.db import migrations

INDEX = "escribe_indexentry_title_body_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]
    operations = [migrations.RunPython(create, drop)]
