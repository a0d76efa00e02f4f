"""Everything the sidebar shows, gathered with a fixed number of queries."""

from django.utils.text import slugify
from wagtail.models import Page

from blog.comments.models import SpamCounter
from blog.models import BlogIndexPage, BlogPage
from blog.tags import tag_cloud

from .models import AboutPage, BookPage, ColophonPage, SidebarSettings


def sidebar_context(request):
    blog = BlogIndexPage.for_request(request)
    settings = SidebarSettings.for_request(request)
    cloud = tag_cloud(BlogPage.objects.published()) if blog else []
    private = Page.objects.private_q()  # a page under a Privacy setting shows no blurb
    tag_urls = blog.tag_urls([tag.slug for tag in cloud], request) if blog else {}
    return {
        "about": AboutPage.objects.live().exclude(private).select_related("portrait").first(),
        "book": BookPage.objects.live().exclude(private).first(),
        "colophon": ColophonPage.objects.live().exclude(private).first(),
        "tag_cloud": [(tag, tag_urls[tag.slug]) for tag in cloud],
        "stuff_i_use": [(item.name, tag_urls.get(slugify(item.name))) for item in settings.stuff_i_use.all()],
        "spam_killed": settings.spam_baseline + SpamCounter.total(),
        "spam_since_year": settings.spam_since_year,
        "archive_url": blog.route_url("archive", request=request) if blog else None,
    }
