"""Fill the blog with a large synthetic data set for benchmarks, fast: bulk inserts, not a save() per row.

    python manage.py generate_bench_data --posts 10000 --comments 100000 --tags 500

Posts are children of the blog (run ``load_demo`` first), dated over many years,
three tags each, with comments spread over them; the post "bench-busy" has
exactly 50 approved comments. Everything generated is named ``bench-…``: running
the command again with the same sizes leaves the data as it is, and with other
sizes replaces it. Pages are written row by row in SQL because Django cannot
bulk-create multi-table models such as Wagtail pages.
"""

import datetime
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from blog import markdown
from blog.comments.models import Comment
from blog.models import BlogIndexPage, BlogPage, BlogPageTag
from blog.tree import next_child_paths, recount_children
from machinery.planner_statistics import analyze
from machinery.signals import content_changed

PREFIX = "bench-"
BUSY_SLUG = "bench-busy"
BUSY_COMMENTS = 50
BATCH = 2000
FIRST_DAY, LAST_DAY = datetime.date(2008, 1, 1), datetime.date(2025, 12, 31)  # all in the past: new posts come first
WORDS = [
    "django",
    "wagtail",
    "python",
    "sqlite",
    "cache",
    "query",
    "index",
    "page",
    "feed",
    "tag",
    "archive",
    "comment",
    "spam",
    "nginx",
    "gunicorn",
    "worker",
    "request",
    "response",
    "template",
    "markdown",
    "deploy",
    "server",
    "database",
    "latency",
    "throughput",
    "memory",
]


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sentence(rng, words=12):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def bodies(rng, count=20):
    """A few distinct Markdown bodies, each rendered once, shared by all posts."""
    for n in range(count):
        code = f"```python\ndef handler_{n}(request):\n    return {n}\n```\n"
        text = "\n\n".join(sentence(rng, 40) for _ in range(4)) + "\n\n" + code
        yield text, markdown.render(text)


def delete_rows(table, column, ids):
    with connection.cursor() as cursor:
        for chunk in chunks(ids, 500):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)  # noqa: S608


def create_tags(count):
    names = [f"{PREFIX}tag-{n:03d}" for n in range(count)]
    return Tag.objects.bulk_create([Tag(name=name, slug=name) for name in names])


def publication_time(n, count):
    """Post n of count is published at 9:00 on its day; the days are spread evenly from FIRST_DAY to LAST_DAY."""
    day = FIRST_DAY + datetime.timedelta(days=n * (LAST_DAY - FIRST_DAY).days // count)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def create_pages(blog, count, rng, now):
    """The posts' rows in Wagtail's page table, live under the blog, oldest first; the first is the busy post."""
    content_type, locale = ContentType.objects.get_for_model(BlogPage), Locale.get_default()
    pages = []
    for n, path in enumerate(next_child_paths(blog, count)):
        slug = BUSY_SLUG if n == 0 else f"{PREFIX}post-{n:05d}"
        title = f"Bench post {n}: {sentence(rng, 5)[:-1]}"
        published = publication_time(n, count)
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                path=path,
                depth=blog.depth + 1,
                numchild=0,
                url_path=f"{blog.url_path}{slug}/",
                live=True,
                content_type=content_type,
                locale=locale,
                first_published_at=published,
                last_published_at=published,
                latest_revision_created_at=now,
            )
        )
    created = Page.objects.bulk_create(pages, batch_size=BATCH)
    if created[0].pk is None:  # databases that do not return ids from bulk inserts
        created = list(Page.objects.filter(path__in=[p.path for p in pages]).order_by("path"))
    return created


def insert_post_rows(pages, texts, rng):
    """The posts' own rows (date, summary, body) beside their pages, with bodies drawn from `texts`."""
    columns = [field.column for field in BlogPage._meta.local_concrete_fields]
    no_paths = BlogPage._meta.get_field("import_paths").get_db_prep_value([], connection)  # as the engine takes JSON
    rows = []
    for page in pages:
        body, html = rng.choice(texts)
        values = {
            "page_ptr_id": page.pk,
            "date": page.first_published_at.date(),
            "summary": sentence(rng, 16),
            "body": body,
            "body_html": html,
            "legacy_id": None,
            "import_id": None,
            "import_digest": "",
            "import_paths": no_paths,
            "view_restricted": False,
            "image_id": None,
            "show_image": False,
            "comments_open": True,
        }
        rows.append([values[column] for column in columns])
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {BlogPage._meta.db_table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in chunks(rows, BATCH):
            cursor.executemany(sql, chunk)


def link_tags(ids, tags, rng):
    """Three of the tags on each post."""
    links = [BlogPageTag(content_object_id=pk, tag=tag) for pk in ids for tag in rng.sample(tags, 3)]
    BlogPageTag.objects.bulk_create(links, batch_size=BATCH)


def reader_comment(n, post_id, text, status, created, **fields):
    comment = Comment(
        post_id=post_id,
        name=f"Reader {n}",
        email=f"reader{n}@example.com",
        text=text,
        ip="203.0.113.9",
        status=status,
        created=created,
        **fields,
    )
    comment.render()
    return comment


def create_comments(ids, count, rng, now):
    """BUSY_COMMENTS approved comments on the first post; the rest on the others, mostly approved.

    Every one has Akismet's verdict already, as a blog's old comments have: the worker's
    recheck must not take a data set's pending comments for a backlog.
    """
    approved, ham = Comment.Status.APPROVED, Comment.SpamCheck.HAM
    statuses = [approved] * 8 + [Comment.Status.PENDING, Comment.Status.SPAM]
    verdicts = {approved: ham, Comment.Status.PENDING: ham, Comment.Status.SPAM: Comment.SpamCheck.SPAM}
    comments = [
        reader_comment(n, ids[0], sentence(rng, 30), approved, now, spam_check=ham) for n in range(BUSY_COMMENTS)
    ]
    for n in range(count - BUSY_COMMENTS):
        post_id, text, status = rng.choice(ids[1:] or ids), sentence(rng, 30), rng.choice(statuses)
        comments.append(reader_comment(n, post_id, text, status, now, spam_check=verdicts[status]))
    Comment.objects.bulk_create(comments, batch_size=BATCH)


def index_for_search(ids):
    backend = get_search_backend()
    for chunk in chunks(ids, BATCH):
        backend.add_bulk(BlogPage, list(BlogPage.objects.filter(pk__in=chunk)))


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=10_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--tags", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, posts, comments, tags, seed, **options):
        blog = BlogIndexPage.objects.first()
        if blog is None:
            raise CommandError("No blog yet: run `python manage.py load_demo` first.")
        if posts < 1 or tags < 3 or comments < BUSY_COMMENTS:
            raise CommandError(f"Ask for at least 1 post, 3 tags and {BUSY_COMMENTS} comments.")
        wanted = (posts, comments, tags)
        if self.existing(blog) == wanted:
            self.stdout.write(f"Bench data already there: {posts} posts, {comments} comments, {tags} tags.")
            return
        started = time.monotonic()
        with transaction.atomic():
            self.remove(blog)
            self.generate(blog, posts, comments, tags, random.Random(seed))  # noqa: S311  (test data, not secrets)
        content_changed.send(sender=BlogPage)  # bulk writes send no signals
        analyze()  # and the query planner's statistics should see the new size
        self.stdout.write(
            f"Generated {posts} posts, {comments} comments, {tags} tags in {time.monotonic() - started:.1f} s."
        )

    def bench_posts(self, blog):
        return BlogPage.objects.child_of(blog).filter(slug__startswith=PREFIX)

    def existing(self, blog):
        posts = self.bench_posts(blog)
        return (
            posts.count(),
            Comment.objects.filter(post__in=posts).count(),
            Tag.objects.filter(slug__startswith=PREFIX).count(),
        )

    def remove(self, blog):
        """Delete earlier bench data in SQL: the ORM would unpublish and signal for every row."""
        post_ids = list(self.bench_posts(blog).values_list("pk", flat=True))
        tag_ids = list(Tag.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
        for model, column, ids in [
            (Comment, "post_id", post_ids),
            (BlogPageTag, "content_object_id", post_ids),
            (BlogPageTag, "tag_id", tag_ids),
            (Tag, "id", tag_ids),
            (BlogPage, "page_ptr_id", post_ids),
            (Page, "id", post_ids),
        ]:
            delete_rows(model._meta.db_table, column, ids)
        recount_children(blog)

    def generate(self, blog, posts, comments, tags, rng):
        """Every random draw is made in this order, so a seed always gives the same data."""
        blog.refresh_from_db()
        now = timezone.now()
        tag_objects = create_tags(tags)
        texts = list(bodies(rng))
        pages = create_pages(blog, posts, rng, now)
        insert_post_rows(pages, texts, rng)
        recount_children(blog)
        ids = [page.pk for page in pages]
        link_tags(ids, tag_objects, rng)
        create_comments(ids, comments, rng, now)
        # The demo's posts too: their own indexing is a task, which waits for a worker the bench may not run yet.
        index_for_search([*ids, *BlogPage.objects.exclude(pk__in=ids).values_list("pk", flat=True)])
