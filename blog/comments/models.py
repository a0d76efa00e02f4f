"""Readers' comments, the settings that govern them, and the count of spam killed.

Part of the blog app (their tables are ``blog_*``), imported by blog/models.py so
that Django registers them there. They import nothing of the posts' module: a
comment names its post as "blog.BlogPage".
"""

import datetime
import re
from collections import defaultdict

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from blog.markdown import render_comment
from machinery.page_cache import KeptPerVersion

RESENT_WITHIN = datetime.timedelta(minutes=10)  # the same comment sent again this soon is stored once
MODERATORS_GROUP = "Moderators"  # made by blog/migrations/0003; its members are mailed about new comments
MODERATE = "blog.change_comment"  # the permission the Moderators group has, and editors have not
MAX_DEPTH = 3  # replies indent this many levels at most; replies to deeper ones show beside them, at that level
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)  # what counts as a link in a comment, for trusted commenters


kept_for_readers = KeptPerVersion(100)  # site id → its CommentSettings


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    close_after_days = models.PositiveIntegerField(
        "Close comments after (days)",
        default=0,
        help_text="Posts older than this many days stop taking new comments. 0 keeps comments open forever.",
    )

    disallowed = models.TextField(
        "Disallowed words",
        blank=True,
        help_text=(
            "One word, phrase or web address per line. A new comment whose name, email, web site, text, IP address "
            "or browser contains one of them (in capitals or not, even inside a longer word: “press” catches "
            "“WordPress”) goes straight to spam without asking Akismet, and counts in the Spam Report."
        ),
    )

    trust_returning = models.BooleanField(
        "Trust returning commenters",
        default=False,
        help_text=(
            "Off: every comment waits for a moderator. On: a comment from someone who had a comment approved before, "
            "under the same name and email address, appears at once, if Akismet finds it is not spam and it holds "
            "no more links than the number below. Everything else still waits for a moderator."
        ),
    )
    trusted_links = models.PositiveSmallIntegerField(
        "Most links in a trusted comment",
        default=1,
        help_text="A returning commenter's comment with more links than this waits for a moderator all the same.",
    )

    class Meta:
        verbose_name = "Comments"

    @classmethod
    def for_post(cls, post):
        """The settings of the post's site, kept as ``for_reader`` keeps them; the defaults for a post on no site."""
        site = post.get_site()
        return cls.kept_for(site) if site else cls()

    @classmethod
    def kept_for(cls, site):
        return kept_for_readers.get(site.pk, lambda: cls.for_site(site))

    def disallows(self, comment):
        """Whether the comment holds a disallowed word, matched as WordPress matches its "Disallowed Comment Keys"."""
        words = [line.strip().casefold() for line in self.disallowed.splitlines() if line.strip()]
        fields = (comment.name, comment.email, comment.url, comment.text, comment.ip or "", comment.user_agent)
        said = "\n".join(fields).casefold()
        return any(word in said for word in words)

    def trusts(self, comment):
        """Whether this comment may appear without a moderator: its sender is known, Akismet aside (asked first)."""
        if not self.trust_returning or len(LINK.findall(f"{comment.text} {comment.url}")) > self.trusted_links:
            return False
        before = Comment.objects.approved().filter(name=comment.name, email__iexact=comment.email, user=None)
        return before.exclude(pk=comment.pk).exists()

    @classmethod
    def for_reader(cls, request):
        """The request's site's settings, read once per process and page-cache version (saving them bumps it),
        not once per request; for reading only: requests share them."""
        return cls.kept_for(Site.find_for_request(request))

    def accepts_comments(self, post):
        """Open unless the editor closed this post or it is older than the site's limit."""
        days = self.close_after_days
        return post.comments_open and (not days or post.date >= timezone.localdate() - datetime.timedelta(days=days))


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def sent_lately(self, post, data):
        """This comment as the form sends it, if its sender sent it to ``post`` lately (a double click, a re-send)."""
        fields = {name: str(data.get(name, "")).strip() for name in ("name", "email", "text")}
        if any("\x00" in value for value in fields.values()):
            return self.none()  # never stored (control characters are refused), and PostgreSQL refuses it in a query
        return self.filter(post=post, created__gte=timezone.now() - RESENT_WITHIN, **fields)

    def conversation(self):
        """The approved comments in reading order: threads by date, each reply under what it answers, with its
        ``depth`` (at most MAX_DEPTH) and ``answers`` (the comment it answers, if shown). A comment removed since
        it was answered keeps its place, marked ``removed``, without its words. One query, unless some were removed.
        """
        shown = {comment.pk: comment for comment in self.approved().order_by("created", "id")}
        approved = len(shown)
        missing = {c.parent_id for c in shown.values()} - shown.keys() - {None}
        while missing:  # removed comments that shown replies answer, and what those answered, up the thread
            removed = list(self.filter(pk__in=missing).only("pk", "parent_id", "created", "post_id"))
            for comment in removed:
                comment.removed = True
                shown[comment.pk] = comment
            missing = {c.parent_id for c in removed} - shown.keys() - {None}
        replies = defaultdict(list)
        for comment in shown.values():  # by date already; one answering a comment gone for good starts a thread
            comment.answers = shown.get(comment.parent_id)
            replies[comment.answers.pk if comment.answers else None].append(comment)
        ordered = Conversation(approved=approved)
        stack = [(comment, 0) for comment in reversed(replies.pop(None, []))]
        while stack or replies:
            if not stack:  # replies answering each other in a loop, as a damaged import may have them: shown flat
                stack = [(comment, 0) for comment in reversed(replies.popitem()[1])]
            comment, depth = stack.pop()
            comment.depth = depth
            ordered.append(comment)
            stack.extend((reply, min(depth + 1, MAX_DEPTH)) for reply in reversed(replies.pop(comment.pk, [])))
        return ordered

    def awaiting_spam_check(self):
        """Pending comments whose check never gave a verdict (Akismet was down, slow or refused the key)."""
        return self.pending().filter(spam_check__in=[Comment.SpamCheck.UNCHECKED, Comment.SpamCheck.ERROR])


class Conversation(list):
    """A post's comments in reading order (``CommentQuerySet.conversation``), and how many are approved."""

    def __init__(self, approved):
        super().__init__()
        self.approved = approved


class Comment(models.Model):
    """A reader's comment. Every comment is kept, spam included, so a false positive can be reported."""

    # Wagtail's reference index (a post's "Usage") is for content that links to content; a comment is not,
    # and indexing it would cost a queued task per comment stored, a spam run's included.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a moderator"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    class SpamCheck(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        SKIPPED = "skipped", "Not checked: Akismet is not configured"
        HAM = "ham", "Akismet: not spam"
        SPAM = "spam", "Akismet: spam"
        DISCARD = "discard", "Akismet: blatant spam"
        ERROR = "error", "Check failed"
        IMPORTED = "imported", "Not checked: imported from another blog"
        DISALLOWED = "disallowed", "Not checked: holds a disallowed word"
        AUTHOR = "author", "Not checked: written by the site's author"

    post = models.ForeignKey("blog.BlogPage", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies", verbose_name="in reply to"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        verbose_name="the author (an editor)",
        help_text="Set when an editor wrote it: readers see it marked as the author's.",
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(max_length=254)
    url = models.URLField("web site", max_length=200, blank=True)
    text = models.TextField()
    notify = models.BooleanField("mail me replies to my comment", default=False)
    reply_mailed = models.DateTimeField("its sender mailed about this reply", null=True, blank=True, editable=False)
    html = models.TextField(editable=False, default="")  # the text as readers see it: made when saved, not shown
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # What Akismet needs again when a moderator reports spam or ham.
    ip = models.GenericIPAddressField("IP address", null=True, blank=True)  # unknown for some imported comments
    user_agent = models.CharField(max_length=500, blank=True)
    referrer = models.CharField(max_length=1000, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    spam_check = models.CharField("spam check", max_length=10, choices=SpamCheck.choices, default=SpamCheck.UNCHECKED)
    spam_check_error = models.CharField("why the check failed", max_length=300, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    import_id = models.CharField("imported from", max_length=255, null=True, blank=True, unique=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["post", "status", "created"]),
            models.Index(fields=["email", "status"]),  # a sender's history, shown to moderators (admin.py)
        ]

    def __str__(self):
        return f"{self.name} on “{self.post.title}”"

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or "text" in fields:
            self.render()
            if fields is not None:
                kwargs["update_fields"] = {*fields, "html"}
        super().save(*args, **kwargs)

    removed = False  # a removed comment kept in a conversation for its replies (CommentQuerySet.conversation)

    @property
    def by_author(self):
        return self.user_id is not None

    @property
    def akismet_said_spam(self):
        return self.spam_check in SPAM_VERDICTS

    def render(self):
        """The text as readers see it, the Markdown readers may use (blog/markdown.py): once, when it is stored,
        not on every page view. Call it before ``bulk_create``, which does not save."""
        self.html = render_comment(self.text)

    def set_sender(self, ip, user_agent, referrer):
        """Who sent the comment, as Akismet wants to hear it: headers cut to their columns, which they may exceed."""
        self.ip = ip
        self.user_agent = user_agent[: self._meta.get_field("user_agent").max_length]
        self.referrer = referrer[: self._meta.get_field("referrer").max_length]


# Akismet's verdicts that take a comment out of the moderators' queue.
SPAM_VERDICTS = {Comment.SpamCheck.SPAM, Comment.SpamCheck.DISCARD}
KILLED = {*SPAM_VERDICTS, Comment.SpamCheck.DISALLOWED}  # every verdict that sends a comment to spam, counted


class SpamCounter(models.Model):
    """How much spam this site has killed: one row, only ever incremented, never recounted from comments."""

    killed = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.killed} spam killed"

    @classmethod
    def add(cls, count=1):
        """Count killed spam atomically: an UPDATE, so concurrent workers never lose a count."""
        cls.objects.get_or_create(pk=1)
        cls.objects.filter(pk=1).update(killed=models.F("killed") + count)

    @classmethod
    def total(cls):
        return cls.objects.filter(pk=1).values_list("killed", flat=True).first() or 0
