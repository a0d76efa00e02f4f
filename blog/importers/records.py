"""What every importer reads a source into, and what the loader writes: plain data, no database.

A reader (wordpress.py, markdown_folder.py) turns a source into ``Post`` records, one at a
time as it streams, and notes in the ``Report`` what it skipped and what it had to guess.
The loader (loader.py) writes the records as Wagtail pages, comments, tags, images and
redirects, and counts what it did in the same report.
"""

import dataclasses
import datetime
from pathlib import Path

from django.template.defaultfilters import pluralize


@dataclasses.dataclass
class Comment:
    source_id: str  # unique in the source and namespaced by it, e.g. "wordpress:https://example.com:comment:42"
    parent_id: str | None  # the source_id of the comment it answers, if any
    name: str
    email: str
    url: str
    ip: str | None  # None when the source has none, or not a valid address
    created: datetime.datetime  # aware
    text: str  # plain text, as the comment form takes it (converted from the source's HTML where it had any)
    status: str  # "approved", "pending", "rejected" or "spam"
    user_agent: str = ""


@dataclasses.dataclass
class Post:
    source_id: str  # unique in the source and namespaced by it: "wordpress:<site URL>:<ID>", "jekyll:_posts/…"
    title: str
    slug: str  # exactly as the source had it (URL-decoded); the loader makes it fit the site
    date: datetime.datetime  # aware: when the post was (or will be) published
    status: str  # "live", "scheduled" or "draft"
    body: str  # Markdown
    summary: str  # plain text; the loader cuts it to the field's length
    tags: list[str] = dataclasses.field(default_factory=list)
    password: str = ""  # a password-protected post: Wagtail's password privacy
    comments_open: bool = True
    old_paths: list[str] = dataclasses.field(default_factory=list)  # "/2010/05/03/slug/", "/?p=12": redirected here
    images: dict[str, Path] = dataclasses.field(default_factory=dict)  # a reference as written in `body` → its file
    comments: list[Comment] = dataclasses.field(default_factory=list)

    @property
    def label(self):
        """How the report names the post."""
        return f"“{self.title}” ({self.source_id})"


STATUSES = {"live", "scheduled", "draft"}
COMMENT_STATUSES = {"approved", "pending", "rejected", "spam"}


class NotAnExport(ValueError):
    """The file or folder is not something an importer reads: one sentence for the user, nothing written."""


@dataclasses.dataclass
class Report:
    """What an import did, or with ``dry_run`` would do: counts, and every skip and warning with its item."""

    dry_run: bool = False
    source: str = ""  # "WordPress export", "Jekyll site", "Hugo site"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    comments: int = 0
    tags: int = 0  # tags the site did not have before
    images: int = 0
    redirects: int = 0
    links: int = 0  # links between imported posts made links to the new pages
    skipped: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (item, reason)
    warnings: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (item, message)
    error: str = ""  # why the import failed and wrote nothing

    def skip(self, item, reason):
        self.skipped.append((item, reason))

    def warn(self, item, message):
        self.warnings.append((item, message))

    def counts(self):
        """The report's figures in one line each for posts and for the rest."""
        skipped = len(self.skipped)
        posts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {skipped} skipped"
        rest = ", ".join(
            f"{count} {pluralize(count, names)}"
            for count, names in (
                (self.comments, "comment,comments"),
                (self.tags, "new tag,new tags"),
                (self.images, "image,images"),
                (self.redirects, "redirect,redirects"),
                (self.links, "link between posts,links between posts"),
            )
        )
        return posts, rest

    def text(self):
        """The report as the management commands print it."""
        posts, rest = self.counts()
        lines = [
            f"{self.source}{': a dry run, nothing was changed' if self.dry_run else ''}.",
            f"Posts: {posts}.",
            f"Also: {rest}.",
        ]
        for heading, entries in (("Skipped", self.skipped), ("Warnings", self.warnings)):
            if entries:
                lines += [f"{heading}:", *(f"  - {item}: {message}" for item, message in entries)]
        return "\n".join(lines)

    def as_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        """A stored report, whatever fields it was stored with (a report outlives changes to this class)."""
        data = {field.name: data[field.name] for field in dataclasses.fields(cls) if field.name in data}
        return cls(
            **{**data, "skipped": [tuple(s) for s in data["skipped"]], "warnings": [tuple(w) for w in data["warnings"]]}
        )
