"""The page tree's rules: what an editor can create where."""

import pytest
from wagtail.models import Page

from blog.models import BlogIndexPage, BlogPage
from home.models import AboutPage, BookPage, ColophonPage

from .factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_demo_tree_rules(demo):
    about = AboutPage.objects.get()
    post = BlogPage.objects.first()
    root = Page.get_first_root_node()
    assert BlogPage.can_create_at(demo)
    assert not BlogPage.can_create_at(about)
    assert not BlogPage.can_create_at(post)
    assert not BlogPage.can_create_at(root)
    # One front page, one each of About, Book and Colophon.
    assert not BlogIndexPage.can_create_at(root)
    assert not BlogIndexPage.can_create_at(demo)
    for page_type in (AboutPage, BookPage, ColophonPage):
        assert not page_type.can_create_at(demo)
        assert not page_type.can_create_at(post)


def test_about_book_colophon_can_be_created_once_under_the_blog(blog):
    for page_type in (AboutPage, BookPage, ColophonPage):
        assert page_type.can_create_at(blog)
    assert set(BlogIndexPage.allowed_subpage_models()) == {BlogPage, AboutPage, BookPage, ColophonPage}


def test_body_html_is_rendered_at_save(blog):
    post = BlogPageFactory(parent=blog, body="Hello *world*")
    assert post.body_html == "<p>Hello <em>world</em></p>"
    post.body = "Changed"
    post.save_revision().publish()
    assert BlogPage.objects.get(pk=post.pk).body_html == "<p>Changed</p>"
