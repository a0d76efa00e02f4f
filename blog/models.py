"""The blog: its index (the front page) and its posts."""

import datetime

from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index
from wagtailmarkdown.fields import MarkdownField
from wagtailmarkdown.utils import render_markdown

from .pagination import paginate


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("BlogPage", related_name="tagged_items", on_delete=models.CASCADE)


class BlogPageQuerySet(PageQuerySet):
    def published(self):
        """What readers may see: live posts, newest first, tags fetched in one query."""
        return (
            self.live()
            .order_by("-date", "-first_published_at")
            .prefetch_related(Prefetch("tagged_items", queryset=BlogPageTag.objects.select_related("tag")))
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

    objects = PageManager.from_queryset(BlogPageQuerySet)()

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("tags")], heading="Date and tags"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]

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
        context = super().get_context(request, *args, **kwargs)
        context["blog_index"] = BlogIndexPage.objects.ancestor_of(self).first()
        return context

    @property
    def tag_list(self):
        """The post's tags in name order, from the prefetch in ``published()`` when there was one."""
        return sorted((item.tag for item in self.tagged_items.all()), key=lambda tag: tag.name.lower())
