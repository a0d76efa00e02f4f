"""RSS 2.0 and Atom feeds: of the newest posts, site-wide or for one tag, and of the newest comments,
site-wide or on one post.

One base class keeps every feed for a page-cache version; the RSS and Atom classes only pick the format.
Post items carry the whole post as HTML (with absolute links, since feed readers have no base URL)
beside the summary, the tags as categories, and an id built from the page's translation key, so a post
keeps its id when it is edited, retitled, moved or redated, or the site changes its domain. Comment
items carry the comment as readers see it, escaped when it was stored.
"""

import datetime
import mimetypes
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import feedgenerator, timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.views.decorators.http import condition
from wagtail.images import get_image_model

from machinery.page_cache import kept_for_address

from . import markdown

FEED_LENGTH = 20
RELATIVE_URL = re.compile(r'(\b(?:href|src)=")/(?!/)')
SRCSET = re.compile(r'\bsrcset="([^"]*)"')
RELATIVE_IN_SRCSET = re.compile(r"(^|,\s*)/(?!/)")


def absolutize(html, root):
    """Make root-relative links and images (each of a picture's sizes too) absolute."""
    absolute = rf"\1{root}/"
    html = RELATIVE_URL.sub(absolute, html)
    return SRCSET.sub(lambda match: 'srcset="' + RELATIVE_IN_SRCSET.sub(absolute, match[1]) + '"', html)


class ContentRss(feedgenerator.Rss201rev2Feed):
    """RSS with the full post in <content:encoded>."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class ContentAtom(feedgenerator.Atom1Feed):
    """Atom with the full post in <content type="html">."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class KeptFeed(Feed):
    """A feed of ``entries`` (a queryset, newest first), built once per page-cache version (machinery/page_cache.py):
    the same for every reader until the next change, it is what feed readers fetch every few minutes."""

    def __init__(self, blog, entries):
        super().__init__()
        self.blog, self.entries = blog, entries

    def __call__(self, request, *args, **kwargs):
        def build():
            response = self.build(request, *args, **kwargs)
            return response.content, dict(response.headers), self.last_modified()

        content, headers, modified = kept_for_address("feed", request, build, timeout=settings.PAGE_CACHE_SECONDS)
        # One piece: the feed writer's hundreds of small ones would each wait 40 ms on Linux's delayed ACKs.
        respond = condition(last_modified_func=lambda request: modified)(
            lambda request: HttpResponse(content, headers=headers)
        )
        return respond(request)

    def build(self, request, *args, **kwargs):
        self.request = request
        site = urlsplit(self.blog.get_full_url(request))  # links use the site's own address
        self.root = f"{site.scheme}://{site.netloc}"
        self.items_list = list(self.entries[:FEED_LENGTH])
        return super().__call__(request, *args, **kwargs)

    def last_modified(self):
        return max((self.item_updateddate(item) for item in self.items_list), default=None)

    def items(self):
        return self.items_list


class PostFeed(KeptFeed):
    def __init__(self, blog, posts, tag=None):
        super().__init__(blog, posts)
        self.tag = tag

    def title(self):
        name = self.blog.title
        return f"{name}: posts tagged {self.tag.name}" if self.tag else f"{name} : {self.blog.tagline}"

    def link(self):
        return self.blog.tag_url(self.tag.slug, self.request) if self.tag else self.blog.get_url(self.request)

    def description(self):
        return f"The newest posts tagged {self.tag.name}." if self.tag else f"The newest posts on {self.blog.title}."

    def author_name(self):
        return self.blog.author_name or None

    def item_title(self, post):
        return post.title

    def item_link(self, post):
        return post.get_full_url(self.request)

    def item_description(self, post):
        # Feed readers take the description as HTML, and the summary is plain text: escape it.
        return escape(post.summary)

    @cached_property
    def bodies(self):
        """Each item's HTML, the Markdown references of all of them made links in one lookup."""
        bodies = markdown.resolve([post.body_html for post in self.items_list], self.request)
        return {post.pk: body for post, body in zip(self.items_list, bodies, strict=True)}

    def item_extra_kwargs(self, post):
        return {"content_html": absolutize(self.bodies[post.pk], self.root)}

    @cached_property
    def pictures(self):
        """Each item's post image as a feed enclosure (its link-preview size): two queries for the whole feed."""
        ids = {post.image_id for post in self.items_list if post.image_id}
        images = get_image_model().objects.filter(pk__in=ids).prefetch_renditions(markdown.SOCIAL_SPEC) if ids else []
        pictures = {}
        for image in images:
            try:
                rendition = image.get_rendition(markdown.SOCIAL_SPEC)
                size = rendition.file.size
            except OSError:  # its file is gone or unreadable: the item without it
                continue
            url = rendition.url if "://" in rendition.url else self.root + rendition.url  # a bucket's is absolute
            mime = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
            pictures[image.pk] = feedgenerator.Enclosure(url, str(size), mime)
        return pictures

    def item_enclosures(self, post):
        return [self.pictures[post.image_id]] if post.image_id in self.pictures else []

    def item_author_name(self, post):
        return self.blog.author_name or None

    def item_categories(self, post):
        return [tag.name for tag in post.tag_list]

    def item_guid(self, post):
        # Wagtail's translation_key never changes: not on a new title, slug, date, place in the tree or domain.
        return f"urn:uuid:{post.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, post):
        return timezone.make_aware(datetime.datetime.combine(post.date, datetime.time(12)))

    def item_updateddate(self, post):
        return post.last_published_at or self.item_pubdate(post)


class CommentFeed(KeptFeed):
    """The newest approved comments on the posts anonymous readers may read, site-wide or on one ``post``."""

    def __init__(self, blog, comments, post=None):
        super().__init__(blog, comments.select_related("post"))
        self.post = post

    def title(self):
        return f"Comments on {self.about()}"

    def about(self):
        return f"“{self.post.title}”" if self.post else self.blog.title

    def link(self):
        return self.post.get_url(self.request) + "#comments" if self.post else self.blog.get_url(self.request)

    def description(self):
        return f"The newest comments on {self.about()}."

    def item_title(self, comment):
        return f"{comment.name} on “{comment.post.title}”"

    def item_link(self, comment):
        return f"{comment.post.get_full_url(self.request)}#comment-{comment.pk}"

    def item_description(self, comment):
        return comment.html  # escaped and linked when stored (Comment.render)

    def item_author_name(self, comment):
        return comment.name

    def item_author_link(self, comment):
        return comment.url or None

    def item_pubdate(self, comment):
        return comment.created

    def item_updateddate(self, comment):
        return comment.created


class RssPostFeed(PostFeed):
    feed_type = ContentRss


class AtomPostFeed(PostFeed):
    feed_type = ContentAtom
    subtitle = PostFeed.description


class RssCommentFeed(CommentFeed):
    feed_type = feedgenerator.Rss201rev2Feed


class AtomCommentFeed(CommentFeed):
    feed_type = feedgenerator.Atom1Feed
    subtitle = CommentFeed.description
