"""Write what a reader read (records.py) into the blog: posts, comments, tags, images and redirects.

One import is one transaction: it lands whole or not at all, and a dry run is the same work
rolled back at the end, so that its report is exactly what the import would do. Within it,
each post has a savepoint of its own: a post the database refuses is skipped, with the reason,
and the others still land.

Each imported post and comment keeps the source's id (``import_id``, unique) and each post a
digest of what the source said: importing the same source again updates the posts whose
source changed, adds comments it has not seen, and skips the rest without writing.
"""

import dataclasses
import hashlib
import json
import logging
import re

from django.conf import settings
from django.core.files import File
from django.core.validators import EmailValidator, URLValidator, ValidationError
from django.db import transaction
from django.urls import get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from machinery.planner_statistics import refresh_after_commit
from machinery.signals import content_changed

from ..comments.models import Comment
from ..models import BlogIndexPage, BlogPage
from ..tree import new_child_paths, recount_children
from . import links, redirects
from .records import Report

logger = logging.getLogger("escribe.import")

WEB_ADDRESS = URLValidator(schemes=["http", "https"])
COUNTS = ("created", "updated", "comments", "images", "redirects")  # what a post adds to the report
PROGRESS_EVERY = 50  # posts between two progress reports
TITLE_LENGTH = BlogPage._meta.get_field("title").max_length
TAG_LENGTH = Tag._meta.get_field("name").max_length
SLUG_LENGTH = 200  # of Wagtail's 255: room for a "-2"


class NoBlog(Exception):
    """There is no blog to import into."""


def run(source, report=None, *, dry_run=False, progress=None):
    """Import every post ``source`` yields (a reader of records.py) and return the report.

    ``progress(percent)`` is called now and then with how much of the source was read.
    Raises ``records.NotAnExport`` for a source no reader understands, ``NoBlog`` without a blog;
    either way nothing is written.
    """
    report = report or Report()
    report.dry_run, report.source = dry_run, source.label
    blog = BlogIndexPage.objects.first()
    if blog is None:
        raise NoBlog("There is no blog to import into yet: run `python manage.py load_demo` or create one first.")
    loader = Loader(blog, report, dry_run)
    try:
        with transaction.atomic():
            for number, post in enumerate(source.posts(report), 1):
                loader.load(post)
                if progress and number % PROGRESS_EVERY == 0:
                    progress(round(100 * source.fraction_read()))
            loader.finish(getattr(source, "hosts", set()))
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        loader.remove_stored_files()
        raise
    if progress:
        progress(100)
    return report


def digest(post):
    """What the source said about a post, comments and image files included, as 64 hex digits.

    An image counts by its name and size, not its path: the admin unpacks each upload in a new folder.
    """
    images = {ref: (path.name, path.stat().st_size if path.exists() else None) for ref, path in post.images.items()}
    fields = {**post.__dict__, "images": images}
    return hashlib.sha256(json.dumps(fields, default=str, sort_keys=True).encode()).hexdigest()


def shadowed_segments():
    """First path segments the site answers itself, which a post's slug at the root must not take."""
    segments = {settings.STATIC_URL.strip("/").split("/")[0], settings.MEDIA_URL.strip("/").split("/")[0]}
    patterns = [*get_resolver().url_patterns, *BlogIndexPage().get_resolver().url_patterns]
    for pattern in patterns:
        written = str(pattern.pattern) if isinstance(pattern.pattern, RoutePattern) else pattern.pattern.regex.pattern
        first = re.match(r"\^?([\w.-]+)", written)
        if first and not written.startswith("<"):
            segments.add(first[1])
    return segments - {""}


class Loader:
    def __init__(self, blog, report, dry_run):
        self.blog, self.report, self.dry_run = blog, report, dry_run
        self.site = blog.get_site()
        self.existing = dict(BlogPage.objects.exclude(import_id=None).values_list("import_id", "import_digest"))
        self.taken = set(blog.get_children().values_list("slug", flat=True))
        self.shadowed = shadowed_segments()
        self.tags_before = Tag.objects.count()
        self.tag_objects = {tag.name.lower(): tag for tag in Tag.objects.all()}  # by name, whatever its case
        self.paths = new_child_paths(blog)
        self.touched = []  # the posts created or updated, whose links to each other are made internal at the end
        self.images = {}  # a file's path → its image, once per import
        self.stored_files = []  # files written to storage, removed again if the import fails

    def load(self, post):
        if self.existing.get(post.source_id) == (fingerprint := digest(post)):
            self.report.unchanged += 1
            return
        self.made = []  # (cache, key) of the tags and images this post makes: forgotten if it is rolled back
        counts = {name: getattr(self.report, name) for name in COUNTS}  # as they were, should it be rolled back
        try:
            with transaction.atomic():
                page = (self.update if post.source_id in self.existing else self.create)(post, fingerprint)
                self.add_comments(page, post)
                self.add_redirects(page, post)
        except Exception as error:  # the database refused this post: the others still land
            logger.exception("Could not import %s", post.label)
            for name, count in counts.items():
                setattr(self.report, name, count)
            self.report.skip(post.label, f"could not be imported: {error}")
            self.forget_made()
            return
        self.existing[post.source_id] = fingerprint
        self.touched.append(page.pk)

    def forget_made(self):
        """After a post's savepoint is rolled back: its new tags and images are gone, and so are their files."""
        for cache, key in self.made:
            made = cache.pop(key, None)
            if cache is self.images and made is not None and made.pk and made.file.name in self.stored_files:
                self.stored_files.remove(made.file.name)
                made.file.storage.delete(made.file.name)

    def fields(self, post, fingerprint):
        title = post.title.strip() or "Untitled"
        if len(title) > TITLE_LENGTH:
            self.report.warn(post.label, f"the title was cut to {TITLE_LENGTH} characters")
            title = title[: TITLE_LENGTH - 1] + "…"
        return {
            "title": title,
            "date": timezone.localtime(post.date).date(),
            "summary": post.summary[: BlogPage._meta.get_field("summary").max_length],
            "body": self.with_images(post),
            "comments_open": post.comments_open,
            "import_digest": fingerprint,
        }

    def create(self, post, fingerprint):
        """A new post under the blog, at the tree path treebeard would give it (blog/tree.py)."""
        live = post.status == "live"
        title_and_fields = self.fields(post, fingerprint)
        page = BlogPage(
            slug=self.free_slug(post),
            path=next(self.paths),
            depth=self.blog.depth + 1,
            draft_title=title_and_fields["title"],
            locale_id=self.blog.locale_id,
            import_id=post.source_id,
            live=live,
            has_unpublished_changes=not live,
            first_published_at=post.date if live else None,
            last_published_at=post.date if live else None,
            go_live_at=post.date if post.status == "scheduled" else None,
            **title_and_fields,
        )
        page._cached_parent_obj = self.blog
        page.tags.set(self.tags(post.tags))
        page.save(clean=False)  # each field was fitted above, and the slug is free (free_slug)
        self.taken.add(page.slug)
        self.schedule(page, post)
        self.set_password(page, post.password)
        self.report.created += 1
        return page

    def schedule(self, page, post):
        """Wagtail publishes an approved revision when its time comes: one, at the source's date, or none."""
        page.revisions.exclude(approved_go_live_at=None).update(approved_go_live_at=None)  # as Wagtail unschedules
        if post.status == "scheduled":
            page.save_revision(approved_go_live_at=post.date)

    def set_password(self, page, password):
        """The post's password privacy as the source has it: made, changed or removed."""
        restrictions = PageViewRestriction.objects.filter(page=page, restriction_type=PageViewRestriction.PASSWORD)
        if not password:
            for restriction in restrictions:
                restriction.delete()  # one by one: each sends the signal that keeps view_restricted right
        elif not restrictions.filter(password=password).exists():
            restrictions.delete()
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.PASSWORD, password=password
            )

    def tags(self, names):
        """The tags of these names, made when the site has none of that name in any case."""
        tags = []
        for name in names:
            name = name[:TAG_LENGTH]
            key = name.lower()
            if key not in self.tag_objects:
                self.tag_objects[key] = Tag.objects.create(name=name)
                self.made.append((self.tag_objects, key))
            tags.append(self.tag_objects[key])
        return tags

    def update(self, post, fingerprint):
        """The post as the source has it now; its address stays, so links made since still work.

        A draft the source has since published goes live; a post live here stays live whatever
        the source says (an editor may have published it here), and is named in the report. A post
        someone edited here (a revision with an author) keeps its text: only new comments are added.
        """
        page = BlogPage.objects.get(import_id=post.source_id)
        if page.revisions.exclude(user=None).exists():
            self.report.warn(post.label, "edited here since it was imported: kept as it is here, new comments added")
            page.import_digest = fingerprint
            page.save(clean=False, update_fields=["import_digest"])
            return page
        for name, value in self.fields(post, fingerprint).items():
            setattr(page, name, value)
        page.tags.set(self.tags(post.tags))
        if post.status == "live" and not page.live:
            page.live, page.has_unpublished_changes = True, False
            page.first_published_at = page.last_published_at = post.date
        elif post.status != "live" and page.live:
            self.report.warn(post.label, f"{post.status} at the source, but published here: left published")
        page.go_live_at = post.date if post.status == "scheduled" and not page.live else None
        page.save()
        self.schedule(page, post if not page.live else dataclasses.replace(post, status="live"))
        self.set_password(page, post.password)
        self.report.updated += 1
        return page

    def free_slug(self, post):
        """The source's slug if the site can give it; else a free one, with a redirect from the old address."""
        wanted = slugify(post.slug, allow_unicode=True)[:SLUG_LENGTH] or slugify(post.title, allow_unicode=True)
        wanted = wanted[:SLUG_LENGTH] or "post"
        slug, number = wanted, 1
        while slug in self.taken or slug in self.shadowed or slug.isdigit():
            number += 1
            slug = f"{wanted}-{number}"
        if slug != post.slug:
            if wanted != post.slug:
                why = "it held characters a web address cannot"
            elif wanted in self.taken:
                why = "another post or page has it"
            else:
                why = "the site's own pages answer at that address"
            self.report.warn(post.label, f"slug “{post.slug}” renamed “{slug}”: {why}")
            post.old_paths.append(f"/post/{post.slug}/")
        return slug

    def with_images(self, post):
        """The body with each image the source had found replaced by a reference to it in Wagtail's images."""
        body = post.body
        for reference, path in post.images.items():
            image = self.image(post, path)
            if image is not None:
                body = body.replace(f"]({reference}", f"](image:{image.pk}").replace(
                    f'src="{reference}"', f'src="image:{image.pk}"'
                )
        return body

    def image(self, post, path):
        if path in self.images:
            return self.images[path]
        Image = get_image_model()
        try:
            with path.open("rb") as file:
                image = Image(title=path.stem.replace("-", " ").replace("_", " ")[:255])
                image.file = File(file, name=path.name)
                image._set_file_hash()
                existing = Image.objects.filter(file_hash=image.file_hash).first()
                if existing:
                    image = existing
                elif self.dry_run:
                    image.pk = 0  # would be made: counted, never written
                    self.report.images += 1
                else:
                    image.save()
                    self.stored_files.append(image.file.name)
                    self.made.append((self.images, path))
                    self.report.images += 1
        except Exception as error:  # not a picture Wagtail can read, or unreadable
            self.report.warn(post.label, f"image {path.name} could not be imported: {error}")
            image = None
        self.images[path] = image
        return image

    def add_comments(self, page, post):
        """The source's comments that this post does not have yet, each under the comment it answers."""
        known = dict(page.comments.exclude(import_id=None).values_list("import_id", "pk"))
        created = Comment.objects.bulk_create(
            [self.comment(page, c) for c in post.comments if c.source_id not in known]
        )
        if created and created[0].pk is None:  # a database that does not return ids from bulk inserts
            created = list(Comment.objects.filter(import_id__in=[c.import_id for c in created]))
        known |= {comment.import_id: comment.pk for comment in created}
        parents = {c.source_id: c.parent_id for c in post.comments if c.parent_id}
        answers = []
        for comment in created:
            parent = parents.get(comment.import_id)
            if parent in known:
                comment.parent_id = known[parent]
                answers.append(comment)
            elif parent:
                self.report.warn(post.label, f"comment {comment.import_id} answers one the source does not have")
        Comment.objects.bulk_update(answers, ["parent"])
        self.report.comments += len(created)

    def comment(self, page, record):
        try:
            EmailValidator()(record.email)
            email = record.email
        except ValidationError:
            email = ""
        url = record.url if len(record.url) <= Comment._meta.get_field("url").max_length else ""
        try:
            WEB_ADDRESS(url)  # as the comment form: an address of the web, never javascript: or data:
        except ValidationError:
            url = ""
        comment = Comment(
            post=page,
            email=email,
            url=url,
            text=record.text,
            created=record.created,
            status=Comment.Status(record.status),
            spam_check=Comment.SpamCheck.IMPORTED,
            import_id=record.source_id,
            name=(record.name.strip() or "Anonymous")[: Comment._meta.get_field("name").max_length],
        )
        comment.set_sender(record.ip, record.user_agent, "")
        comment.render()
        return comment

    def add_redirects(self, page, post):
        """Redirects from the post's old addresses, now if readers may find it, else once it is published."""
        too_long = [path for path in post.old_paths if len(Redirect.normalise_path(path)) > redirects.LENGTH]
        for path in too_long:
            self.report.warn(post.label, f"old address too long to redirect: {path[:80]}…")
        paths = redirects.normalised(page, post.old_paths, self.site)
        if page.live:  # behind its password or not: the old blog showed its address too
            redirects.redirect(page, paths)
            self.report.redirects += len(paths)
        else:
            BlogPage.objects.filter(pk=page.pk).update(import_paths=sorted(paths))

    def finish(self, hosts):
        """``hosts``: the old blog's host names, whose absolute links are links between its posts too."""
        self.report.links = links.relink(self.touched, hosts)
        self.report.tags = Tag.objects.count() - self.tags_before
        if self.report.created:
            recount_children(self.blog)
        if not self.dry_run and (self.report.created or self.report.updated):
            content_changed.send(sender=BlogPage)
            refresh_after_commit()

    def remove_stored_files(self):
        for name in self.stored_files:
            get_image_model()._meta.get_field("file").storage.delete(name)
