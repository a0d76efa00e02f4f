"""The blog: its index (the front page) and its posts."""

import copy
import datetime
import functools
import re

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page, PageManager, PageQuerySet, PageViewRestriction, Site
from wagtail.search import index
from wagtailmarkdown.fields import MarkdownField

from machinery.page_cache import KeptPerVersion
from machinery.privacy import ViewRestrictionsMixin
from machinery.routing import ChildrenKeptPerVersion

from . import archives, feeds, markdown
from .comments.forms import CommentForm, issue_token
from .comments.models import Comment, CommentSettings, Conversation, SpamCounter  # noqa: F401  (the blog's models)
from .comments.panels import CommentsPanel
from .importers.models import Import  # noqa: F401  (registered as the blog's model)
from .pagination import first_page_asked, paginate
from .previews import PreviewLink, PreviewLinksPanel  # noqa: F401  (PreviewLink: registered as the blog's model)
from .tags import tags_in_use

WORDS_A_MINUTE = 230  # an adult's silent reading of prose
RELATED = 3  # posts suggested under a post
OLDER_ON_FRONT_PAGE = 5  # posts linked under the newest on the front page
CODE_BLOCK = re.compile(r'<div class="highlight">.*?</div>|<pre>.*?</pre>', re.DOTALL)  # as blog/markdown.py makes it

tags_in_use_by_slug = KeptPerVersion(1000)  # slug → its tag, or None if no published post carries it
newest_posts = KeptPerVersion(10)  # a blog's id → its newest posts, for its front page


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("BlogPage", related_name="tagged_items", on_delete=models.CASCADE)


def tags_prefetch():
    """A post's tags in one query, whether for one post or a page of them."""
    return Prefetch("tagged_items", queryset=BlogPageTag.objects.select_related("tag"))


class BlogPageQuerySet(PageQuerySet):
    def published(self):
        """Every post an anonymous reader may read, newest first: live, and under no Privacy setting.

        The one way that any listing, feed, archive, search, sitemap, tag count and
        neighbour link gets its posts. A restricted post is reachable only at its own
        URL, behind Wagtail's password or login form. No tree filter, and not Wagtail's
        ``.public()``: each is a LIKE on the page path that would make SQLite scan every
        page for every listing. There is one blog and posts live only under it
        (``max_count``, ``parent_page_types``), and ``view_restricted`` is kept as a flag.

        Posts of one date come newest made first (their id): the date index holds the id, so
        SQLite walks it and stops at a page's last post. A tie-break on Wagtail's
        ``first_published_at``, in another table, made it sort every post instead: 26 ms of a
        46 ms front page at 10,000 posts, against 0.1 ms. The id also means pages never
        repeat or skip a post.
        """
        return self.live().filter(view_restricted=False).order_by("-date", "-id")

    def with_tags(self):
        return self.prefetch_related(tags_prefetch())

    def sync_view_restrictions(self):
        """Set every post's ``view_restricted`` from the Privacy settings in force now: two UPDATEs.

        Run whenever a restriction is saved or removed or a page moves (blog/signal_handlers.py).
        """
        hidden = self.not_public().values("pk")
        self.filter(view_restricted=False, pk__in=hidden).update(view_restricted=True)
        self.filter(view_restricted=True).exclude(pk__in=hidden).update(view_restricted=False)


class BlogIndexPage(ViewRestrictionsMixin, RoutablePageMixin, ChildrenKeptPerVersion, Page):
    """The front page, and every other way through the posts: tags, dates and feeds.

    Tag pages, archives and feeds are routes of this page rather than pages of
    their own, so their URLs follow the blog wherever it sits in the tree and are
    built with ``reverse_subpage`` / ``routablepageurl``.
    """

    tagline = models.CharField(
        max_length=120,
        default="a programmer’s blog",
        help_text="Shown after the site's name in the header of every page.",
    )
    author_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="Your name as feed readers and search engines show it for every post.",
    )
    posts_per_page = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="How many posts a page of the front page, a tag or an archive shows before “Older posts”.",
    )

    class FrontPage(models.TextChoices):
        NEWEST = "newest", "The newest post, whole, with its comments and the comment form"
        LIST = "list", "The newest posts, whole, a page at a time"

    front_page_shows = models.CharField(
        "The front page shows",
        max_length=10,
        choices=FrontPage.choices,
        default=FrontPage.NEWEST,
        help_text=(
            "“The newest post” is how E-Scribe has always looked: one post with its comments and the form to add "
            "one, then links to the few posts before it. “The newest posts” shows as many whole posts as the "
            "number below, with links to older pages."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("tagline"),
        FieldPanel("author_name"),
        FieldPanel("front_page_shows"),
        FieldPanel("posts_per_page"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.BlogPage", "home.AboutPage", "home.BookPage", "home.ColophonPage"]
    max_count = 1

    @classmethod
    def for_request(cls, request):
        """The blog at the root of the request's site, from objects Wagtail's routing already loaded."""
        site = Site.find_for_request(request)
        root = site.root_page.specific if site else None
        return root if isinstance(root, cls) else cls.objects.live().first()

    def find_child(self, slug):
        """A post with its tags, kept with it (machinery/routing.py); About, Book and Colophon as Wagtail finds
        them. ChildrenKeptPerVersion comes after RoutablePageMixin in the bases, so the blog's own routes (tags,
        archives, feeds) come first, as in Wagtail: a post slugged ``feed`` is not reached there."""
        return BlogPage.objects.child_of(self).filter(slug=slug).with_tags().first() or super().find_child(slug)

    def listing(self, request, posts, template=None, allow_empty=True, **context):
        page = paginate(request, posts, self.posts_per_page, allow_empty)
        return self.render(request, template=template, context_overrides={"posts": page, **context})

    def tag_in_use_or_404(self, slug):
        """The tag with this slug if a published post carries it: asked once per process and page-cache version."""

        def find():
            # EXISTS, not ``__in=published()``: that subquery would list every published post.
            on_a_post = BlogPage.objects.published().filter(tagged_items__tag=OuterRef("pk"))
            return Tag.objects.filter(Exists(on_a_post), slug=slug).first()

        tag = tags_in_use_by_slug.get(slug, find)
        if tag is None:
            raise Http404("No published post has this tag.")
        return tag

    @path("")
    def front_page(self, request):
        def posts():  # built only when needed: between changes the newest posts are kept, and cost no query
            return BlogPage.objects.published().with_tags()

        # Page 2 onwards is the list's, whatever page 1 shows: links to it from before a switch keep their posts.
        if self.front_page_shows == self.FrontPage.LIST or not first_page_asked(request):
            return self.listing(request, posts())
        newest = newest_posts.get(self.pk, lambda: list(posts()[: 1 + OLDER_ON_FRONT_PAGE]))
        return self.newest_post(request, *newest) if newest else self.listing(request, posts())

    def newest_post(self, request, post, *older):
        """The front page as the seed shows it: the newest post as its own page shows it, then a few older ones,
        fetched with it (one query for them all, one for their tags) once per page-cache version, as posts are
        (machinery/routing.py)."""
        context = copy.copy(post).get_context(request)  # a request's own: Wagtail's serving writes on a page
        context["older_posts"], context["on_front_page"] = older, True
        return TemplateResponse(request, "blog/front_page.html", context)

    @path("tag/<slug:tag>/", name="tag")
    def tag_page(self, request, tag):
        tag = self.tag_in_use_or_404(tag)
        posts = BlogPage.objects.published().with_tags().filter(tags=tag)
        return self.listing(request, posts, "blog/tag_page.html", tag=tag)

    def route_url(self, name, *args, request=None, full=False):
        """The URL of one of this page's routes (a tag page, an archive, a feed)."""
        return self.route_urls(name, [args], request, full)[0]

    def route_urls(self, name, many_args, request=None, full=False):
        """``route_url()`` for each of ``many_args``, this page's own URL found once: at 10,000 posts the tag cloud
        links 500 tag pages, 12 ms one by one and 4 ms so, paid by the reader who rebuilds the sidebar."""
        own = self.get_full_url(request) if full else self.get_url(request)
        return [own + self.reverse_subpage(name, args=args) for args in many_args]

    def period_url(self, period, request=None, full=False):
        return self.route_url(period.route_name, *period.args, request=request, full=full)

    @path("archive/", name="archive")
    def archive_index(self, request):
        years = [
            (year, self.period_url(year, request), [(month, self.period_url(month, request)) for month in year.months])
            for year in archives.years(BlogPage.objects.published())
        ]
        return self.render(request, template="blog/archive_index.html", context_overrides={"years": years})

    @re_path(r"^(\d{4})/$", name="year")
    def year_archive(self, request, year):
        return self.archive_page(request, archives.Period(int(year)))

    @re_path(r"^(\d{4})/(0[1-9]|1[0-2])/$", name="month")
    def month_archive(self, request, year, month):
        return self.archive_page(request, archives.Period(int(year), int(month)))

    def archive_page(self, request, period):
        if period.year == 0:
            raise Http404("There is no year 0.")
        posts = BlogPage.objects.published().with_tags().filter(**period.filters())

        def neighbours():
            """The older and newer periods with their URLs: asked for only when the listing is built."""
            older, newer = period.neighbours(BlogPage.objects.published())
            return {name: (p, self.period_url(p, request)) for name, p in (("older", older), ("newer", newer)) if p}

        # A period without posts is a 404: its page 1 is empty (allow_empty).
        return self.listing(
            request, posts, "blog/archive_page.html", allow_empty=False, period=period, neighbours=neighbours
        )

    @path("feed/", name="feed")
    def rss_feed(self, request):
        return self.feed(request, feeds.RssPostFeed)

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request):
        return self.feed(request, feeds.AtomPostFeed)

    @path("tag/<slug:tag>/feed/", name="tag_feed")
    def tag_rss_feed(self, request, tag):
        return self.feed(request, feeds.RssPostFeed, self.tag_in_use_or_404(tag))

    @path("tag/<slug:tag>/feed/atom/", name="tag_atom_feed")
    def tag_atom_feed(self, request, tag):
        return self.feed(request, feeds.AtomPostFeed, self.tag_in_use_or_404(tag))

    def feed(self, request, feed_class, tag=None):
        posts = BlogPage.objects.published().with_tags()
        return feed_class(self, posts.filter(tags=tag) if tag else posts, tag)(request)

    @path("feed/comments/", name="comments_feed")
    def comments_rss_feed(self, request):
        return self.comments_feed(request, feeds.RssCommentFeed)

    @path("feed/comments/atom/", name="comments_atom_feed")
    def comments_atom_feed(self, request):
        return self.comments_feed(request, feeds.AtomCommentFeed)

    @path("feed/comments/on/<slug:post>/", name="post_comments_feed")
    def post_comments_rss_feed(self, request, post):
        return self.comments_feed(request, feeds.RssCommentFeed, post)

    @path("feed/comments/on/<slug:post>/atom/", name="post_comments_atom_feed")
    def post_comments_atom_feed(self, request, post):
        return self.comments_feed(request, feeds.AtomCommentFeed, post)

    def comments_feed(self, request, feed_class, slug=None):
        """Approved comments on the posts an anonymous reader may read: on one of them (a 404 for any other), or
        on all of them."""
        # EXISTS, read for each comment newest first until the feed is full; ``__in=published()`` would list every post.
        on_a_published_post = Exists(BlogPage.objects.published().filter(pk=OuterRef("post")))
        comments = Comment.objects.approved().filter(on_a_published_post).order_by("-created", "-id")
        if slug is None:
            return feed_class(self, comments)(request)
        post = BlogPage.objects.published().child_of(self).filter(slug=slug).first()
        if post is None:
            raise Http404("No published post has this address.")
        return feed_class(self, comments.filter(post=post), post)(request)

    def tag_url(self, slug, request=None, full=False):
        return self.route_url("tag", slug, request=request, full=full)

    def tag_urls(self, slugs, request=None, full=False):
        """Each slug's tag page: ``{slug: url}``."""
        return dict(zip(slugs, self.route_urls("tag", [(slug,) for slug in slugs], request, full), strict=True))

    def get_sitemap_urls(self, request=None):
        """The front page, plus every tag page and archive page readers can reach."""
        posts = BlogPage.objects.published()
        urls = super().get_sitemap_urls(request)
        tags = list(tags_in_use(posts))
        locations = self.tag_urls([tag.slug for tag in tags], request, full=True)
        urls += [{"location": locations[tag.slug], "lastmod": tag.latest} for tag in tags]
        for year in archives.years(posts):
            urls += [
                {"location": self.period_url(period, request, full=True), "lastmod": period.latest}
                for period in (year, *year.months)
            ]
        return urls


class BlogPage(ViewRestrictionsMixin, Page):
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
        "with the language after the first ones (```python) for colours. Readers see a reading time beside the "
        "date: the words at 230 a minute, code not counted (readers skim it, or stop to try it).",
    )
    body_html = models.TextField(editable=False, default="")
    tags = ClusterTaggableManager(
        through=BlogPageTag,
        blank=True,
        help_text="Type a tag and press Enter or comma. Existing tags are suggested as you type; "
        "each tag gets its own page and a place in the sidebar's Pile o'Tags.",
    )

    legacy_id = models.PositiveIntegerField(
        "Old post number",
        null=True,
        blank=True,
        unique=True,
        help_text="Only for posts from the old blog: the number in its old address (/123 or /news/123), "
        "so that old links still lead here. Leave empty for new posts.",
    )
    view_restricted = models.BooleanField(
        default=False,
        editable=False,
        help_text="Whether a Privacy setting on this post or a page above it keeps anonymous readers out. "
        "Kept as a flag, not worked out from the tree, so that listings never read Wagtail's whole page table.",
    )
    import_id = models.CharField(
        "imported from",
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The post's id in the blog it was imported from: importing again updates this post.",
    )
    import_digest = models.CharField(max_length=64, blank=True, editable=False)  # the source as last imported
    # An imported draft's old addresses, redirected only once it is published (blog/importers/redirects.py):
    # a redirect to a draft would tell anyone its address.
    import_paths = models.JSONField(default=list, blank=True, editable=False)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="post image",
        help_text=(
            "Optional. The picture social sites, chat apps and feed readers show with this post, cropped to "
            "1200 × 630 pixels around its focal point. Without one, the site's default picture is used "
            "(Settings → Sharing)."
        ),
    )
    show_image = models.BooleanField(
        "Show it at the top of the post",
        default=False,
        help_text="Tick to show the post image above the text on the post's own page, too.",
    )
    comments_open = models.BooleanField(
        default=True,
        help_text="Untick to stop new comments on this post. Comments already approved stay visible. "
        "Comments also close by themselves after the number of days set in Settings → Comments.",
    )

    objects = PageManager.from_queryset(BlogPageQuerySet)()

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("tags")], heading="Date and tags"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("show_image")], heading="Post image"),
    ]
    settings_panels = Page.settings_panels + [
        PreviewLinksPanel(heading="Preview links"),
        FieldPanel("comments_open"),
        FieldPanel("legacy_id"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(settings_panels, heading="Settings"),
            ObjectList([CommentsPanel(heading="Comments")], heading="Comments"),  # with Reply links for its author
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
        index.FilterField("view_restricted"),
    ]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []
    markdown_fields = ["body"]
    base_form_class = markdown.CheckedReferencesForm
    exclude_fields_in_copy = ["legacy_id", "import_id", "import_digest", "import_paths"]  # unique: a copy is a new post

    class Meta:
        # Every listing is newest first: with this, a page of posts need not sort them all.
        indexes = [models.Index(fields=["date"], name="blogpage_date_idx")]

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:  # not a revision's bookkeeping, which writes neither
            # Markdown is rendered once here, not on every page view; its page: links are made when shown.
            self.body_html = markdown.render(self.body)
            # Created, copied or published under a restricted page: hidden from listings from the start.
            self.view_restricted = self.has_restricted_ancestor()
        return super().save(*args, **kwargs)

    def has_restricted_ancestor(self):
        """Whether a Privacy setting on this post or a page above it keeps anonymous readers out: one query."""
        steps = range(self.steplen, len(self.path) + 1, self.steplen)
        return PageViewRestriction.objects.filter(page__path__in=[self.path[:end] for end in steps]).exists()

    def serve_preview(self, request, mode_name):
        self.body_html = markdown.render(self.body)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        saved = not getattr(request, "is_preview", False)  # a preview shows the editor's unsaved tags and text
        if saved:
            prefetch_related_objects([self], tags_prefetch())
        context["blog_index"] = BlogIndexPage.for_request(request)
        # Read only when the post's cached fragments are built again (templates/blog/blog_page.html).
        context["comments"] = SimpleLazyObject(
            lambda: self.comments.conversation() if self.pk else Conversation(approved=0)  # a new post's preview
        )
        context["structured_data"] = functools.partial(self.structured_data, request)
        context["accepts_comments"] = CommentSettings.for_reader(request).accepts_comments(self)
        context["comment_form"] = CommentForm()
        context["comment_token"] = issue_token(self.pk)
        context["replying_to"] = None  # a comment answered, when a Reply link is followed (comments/views.py)
        return context

    @cached_property
    def related(self):
        """Up to RELATED other posts an anonymous reader may read that share the most tags with this one, newest
        first among equals: one query, whatever the number of posts and tags. Read only when the post's cached
        fragment is built again (templates/blog/blog_page.html)."""
        tags = [item.tag_id for item in self.tagged_items.all()]
        if not (self.pk and tags):
            return []
        others = BlogPage.objects.published().exclude(pk=self.pk).filter(tagged_items__tag_id__in=tags)
        others = others.annotate(shared=models.Count("tagged_items")).order_by("-shared", "-date", "-id")
        return list(others.only("title", "url_path", "date")[:RELATED])

    @cached_property
    def reading_minutes(self):
        """Minutes to read the post at WORDS_A_MINUTE, at least one; code blocks are not counted."""
        words = len(strip_tags(CODE_BLOCK.sub(" ", self.body_html)).split())
        return max(1, round(words / WORDS_A_MINUTE))

    @cached_property
    def neighbours(self):
        """The previous and next live posts in reading order (date, then id: as ``published()`` lists them).

        Read by the template only when its cached fragment is stale (templates/blog/blog_page.html). Each is one
        range of the date index, walked in order to the first post outside this one's date-and-id: an OR of the
        two conditions made SQLite gather every post on that side and sort them (28 ms for the newest post's older
        neighbour at 10,000 posts; 0.5 ms so).
        """
        if not self.pk:  # a preview of a post never saved
            return None, None
        others = BlogPage.objects.published().only("title", "url_path")
        older = Q(date__lte=self.date) & ~Q(date=self.date, id__gte=self.pk)
        newer = Q(date__gte=self.date) & ~Q(date=self.date, id__lte=self.pk)
        return others.filter(older).first(), others.filter(newer).order_by("date", "id").first()

    def structured_data(self, request):
        """schema.org BlogPosting, for search engines (JSON-LD in the page head)."""
        blog = BlogIndexPage.for_request(request)
        data = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": self.title,
            "description": self.summary,
            "datePublished": self.date.isoformat(),
            "dateModified": (self.last_published_at or timezone.now()).isoformat(),
            "url": self.get_full_url(request),
            "mainEntityOfPage": self.get_full_url(request),
            "keywords": [tag.name for tag in self.tag_list],
        }
        if blog and blog.author_name:
            data["author"] = {"@type": "Person", "name": blog.author_name}
        return data

    @property
    def tag_list(self):
        """The post's tags in name order, from the prefetch in ``with_tags()`` when there was one."""
        return sorted((item.tag for item in self.tagged_items.all()), key=lambda tag: tag.name.lower())
