from django.db import migrations, models
from django.template.defaultfilters import linebreaks_filter, urlize


def render_existing(apps, schema_editor):
    """Comments stored before the text's HTML was kept: rendered once here, as Comment.render does."""
    Comment = apps.get_model("blog", "Comment")
    batch = []
    for comment in Comment.objects.only("pk", "text").iterator(chunk_size=2000):
        comment.html = linebreaks_filter(urlize(comment.text, autoescape=True), autoescape=True)
        batch.append(comment)
        if len(batch) == 2000:
            Comment.objects.bulk_update(batch, ["html"])
            batch = []
    Comment.objects.bulk_update(batch, ["html"])


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0007_imports"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="html",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(render_existing, migrations.RunPython.noop),
    ]
