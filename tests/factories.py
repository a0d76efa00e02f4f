"""factory_boy factories for the page tree: pages are created as children, the Wagtail way."""

import datetime

import factory
from wagtail.models import Page, Site

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
