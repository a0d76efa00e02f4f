"""factory_boy factories for the page tree: pages are created as children, the Wagtail way."""

import datetime
import time
from urllib.parse import urlencode

import factory
from wagtail.models import Page, Site

from blog.comments.forms import HONEYPOT_FIELD, TOKEN_FIELD, issue_token
from blog.comments.models import Comment
from blog.models import BlogIndexPage, BlogPage


class PageFactory(factory.django.DjangoModelFactory):
    """Create a page under ``parent`` (default: the tree's root), with ``tags`` if given,
    and publish it unless ``live=False``."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")

    @classmethod
    def _create(cls, model_class, parent=None, tags=(), **kwargs):
        page = model_class(**kwargs)
        if tags:
            page.tags.add(*tags)
        (parent or Page.get_first_root_node()).add_child(instance=page)
        if page.live:
            page.save_revision().publish()
        else:
            page.save_revision()
        return page


class BlogIndexFactory(PageFactory):
    class Meta:
        model = BlogIndexPage

    title = "E-Scribe"

    @classmethod
    def _create(cls, model_class, **kwargs):
        page = super()._create(model_class, **kwargs)
        Site.objects.filter(is_default_site=True).update(root_page=page)
        return page


class BlogPageFactory(PageFactory):
    class Meta:
        model = BlogPage

    title = factory.Sequence(lambda n: f"Post number {n}")
    date = factory.Sequence(lambda n: datetime.date(2015, 1, 1) + datetime.timedelta(days=n))
    summary = factory.LazyAttribute(lambda o: f"About {o.title}.")
    body = "Some *Markdown* text."


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    text = "A thoughtful comment."
    ip = "203.0.113.7"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    referrer = "https://news.example.com/"


def comment_form_data(post, age=60, **overrides):
    """What a reader's browser sends for ``post``, with a form token issued ``age`` seconds ago."""
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "url": "https://ada.example.com/",
        "text": "Lovely post.\n\nSee https://example.org/notes for more.",
        TOKEN_FIELD: issue_token(post.pk, issued_at=time.time() - age),
        HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def post_form(client, url, data, **headers):
    """POST ``data`` url-encoded, as a browser sends a form (the comment URL refuses anything else)."""
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded", **headers)
