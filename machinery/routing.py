"""Wagtail's routing to a page's children, found once per process and page-cache version, not on every request.

``Page.route`` asks the database for the child named by the URL, then again for its own class, on
every request: with a post's tags, 2.5 ms of a 6 ms post page, nearly all of it Python building the
queries. What a URL finds changes only when a page is published, unpublished, moved or deleted, and
each of those bumps the page cache's version (signal_handlers.py), so a page's children are kept in
the process under that version, as site_lookup.py keeps the Site, and each request gets a copy of
its own: nothing one request sets on a page is seen by another.
"""

import copy

from django.http import Http404

from .page_cache import KeptPerVersion

children = KeptPerVersion(500)  # (parent pk, slug) → the child as its own class, or None


class ChildrenKeptPerVersion:
    """For a page model with children: Wagtail's routing, its lookups kept per version."""

    def find_child(self, slug):
        """The child with this slug as its own class, or None; a model may fetch more with it."""
        return self.get_children().filter(slug=slug).specific().first()

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        slug = path_components[0]
        child = children.get((self.pk, slug), lambda: self.find_child(slug))
        if child is None:
            raise Http404
        child = copy.copy(child)
        child._cached_parent_obj = self  # as Wagtail does: get_parent() asks nothing
        return child.route(request, path_components[1:])
