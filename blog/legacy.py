"""Permalinks from E-Scribe's earlier lives, answered with a permanent redirect to the post's URL today.

Its Django era linked posts as ``/NNN``, older links as ``/news/NNN``, and its
static era as ``/post/<slug>/``. The number is the post's ``legacy_id``.
"""

from django.shortcuts import get_object_or_404, redirect

from .models import BlogPage


def to_post(request, **lookup):
    post = get_object_or_404(BlogPage.objects.published(), **lookup)
    return redirect(post.get_url(request), permanent=True)


def by_number(request, number):
    return to_post(request, legacy_id=number)


def by_slug(request, slug):
    return to_post(request, slug=slug)
