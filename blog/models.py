"""The blog: its index (the front page) and its posts."""

import datetime

from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, PageManager, PageQuerySet, Site
from wagtail.search import index
from wagtailmarkdown.fields import MarkdownField
from wagtailmarkdown.utils import render_markdown

from .pagination import paginate


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("BlogPage", related_name="tagged_items", on_delete=models.CASCADE)


def with_tags():
    """A post's tags in one query, whether for one post or a page of them."""
    return Prefetch("tagged_items", queryset=BlogPageTag.objects.select_related("tag"))


class BlogPageQuerySet(PageQuerySet):
    def published(self):
        """What readers may see: live posts, newest first, tags fetched in one query."""
        return (
            self.live()
            .order_by("-date", "-first_published_at")
            .prefetch_related(with_tags())
        )


class BlogIndexPage(RoutablePageMixin, Page):
    """The front page: every post, newest first, and the per-tag listings."""

    tagline = models.CharField(
        max_length=120,
        default="a programmer’s blog",
        help_text="Shown after the site's name in the header of every page.",
    )
    posts_per_page = models.PositiveSmallIntegerField(
        default=5,
        help_text="How many whole posts the front page and tag pages show before “Older posts”.",
    )

    content_panels = Page.content_panels + [FieldPanel("tagline"), FieldPanel("posts_per_page")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.BlogPage", "home.AboutPage", "home.BookPage", "home.ColophonPage"]
    max_count = 1

    @classmethod
    def for_request(cls, request):
        """The blog at the root of the request's site, from objects Wagtail's routing already loaded."""
        site = Site.find_for_request(request)
        root = site.root_page.specific if site else None
        return root if isinstance(root, cls) else cls.objects.live().first()

    def posts(self):
        return BlogPage.objects.child_of(self).published()

    @path("")
    def front_page(self, request):
        return self.render(request, context_overrides={"posts": paginate(request, self.posts(), self.posts_per_page)})

    @path("tag/<slug:tag>/", name="tag")
    def tag_page(self, request, tag):
        tag_obj = Tag.objects.filter(slug=tag).first()
        posts = self.posts().filter(tags=tag_obj) if tag_obj else self.posts().none()
        page = paginate(request, posts, self.posts_per_page)
        if not page.object_list:
            raise Http404("No published post has this tag.")
        return self.render(
            request,
            template="blog/tag_page.html",
            context_overrides={"tag": tag_obj, "posts": page},
        )

    def tag_url(self, slug, request=None):
        return self.get_url(request) + self.reverse_subpage("tag", kwargs={"tag": slug})


class BlogPage(Page):
    """One post, written in Markdown."""

    date = models.DateField(
        "Post date",
        default=datetime.date.today,
        help_text="The date readers see on the post. Posts are listed newest first by this date.",
    )
    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences about the post, used in search results, feeds and link previews.",
    )
    body = MarkdownField(
        help_text="The post, in Markdown. Put code between lines of three backticks, "
        "with the language after the first ones (```python) for colours.",
    )
    body_html = models.TextField(editable=False, default="")
    tags = ClusterTaggableManager(
        through=BlogPageTag,
        blank=True,
        help_text="Type a tag and press Enter or comma. Existing tags are suggested as you type; "
        "each tag gets its own page and a place in the sidebar's Pile o'Tags.",
    )

    comments_open = models.BooleanField(
        default=True,
        help_text="Untick to stop new comments on this post. Comments already approved stay visible. "
        "Comments also close by themselves after the number of days set in Settings → Sidebar.",
    )

    objects = PageManager.from_queryset(BlogPageQuerySet)()

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("tags")], heading="Date and tags"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("comments_open")]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
    ]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    def save(self, *args, **kwargs):
        # Markdown is rendered once here, not on every page view.
        self.body_html = render_markdown(self.body)
        return super().save(*args, **kwargs)

    def serve_preview(self, request, mode_name):
        self.body_html = render_markdown(self.body)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        from .forms import CommentForm, issue_token

        context = super().get_context(request, *args, **kwargs)
        prefetch_related_objects([self], with_tags())
        context["blog_index"] = BlogIndexPage.for_request(request)
        context["comments"] = self.comments.approved().order_by("created")
        context["accepts_comments"] = self.accepts_comments(CommentSettings.for_request(request))
        context["comment_form"] = CommentForm()
        context["comment_token"] = issue_token()
        return context

    def accepts_comments(self, comment_settings):
        """Open unless the editor closed this post or it is older than the site's limit."""
        days = comment_settings.close_after_days
        return self.comments_open and (not days or self.date >= timezone.localdate() - datetime.timedelta(days=days))

    @property
    def tag_list(self):
        """The post's tags in name order, from the prefetch in ``published()`` when there was one."""
        return sorted((item.tag for item in self.tagged_items.all()), key=lambda tag: tag.name.lower())


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    close_after_days = models.PositiveIntegerField(
        "Close comments after (days)",
        default=0,
        help_text="Posts older than this many days stop taking new comments. 0 keeps comments open forever.",
    )

    class Meta:
        verbose_name = "Comments"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def awaiting_spam_check(self):
        """Pending comments whose check never gave a verdict (Akismet was down, slow or refused the key)."""
        return self.pending().filter(spam_check__in=[Comment.SpamCheck.UNCHECKED, Comment.SpamCheck.ERROR])


class Comment(models.Model):
    """A reader's comment. Every comment is kept, spam included, so a false positive can be reported."""

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

    post = models.ForeignKey(BlogPage, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=80)
    email = models.EmailField(max_length=254)
    url = models.URLField("web site", max_length=200, blank=True)
    text = models.TextField()
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # What Akismet needs again when a moderator reports spam or ham.
    ip = models.GenericIPAddressField("IP address")
    user_agent = models.CharField(max_length=500, blank=True)
    referrer = models.CharField(max_length=1000, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    spam_check = models.CharField(
        "spam check", max_length=10, choices=SpamCheck.choices, default=SpamCheck.UNCHECKED
    )
    spam_check_error = models.CharField("why the check failed", max_length=300, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["post", "status", "created"])]

    def __str__(self):
        return f"{self.name} on “{self.post.title}”"


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
