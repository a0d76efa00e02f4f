"""Wagtail's Privacy check on every page served, without its two queries while the site has no Privacy setting.

Before serving any page Wagtail reads the page's ancestors and their Privacy settings (two
queries, ``Page.get_view_restrictions``). Most sites have no Privacy setting at all: whether
there is any is asked once per process and page-cache version, which every Privacy setting
saved or removed bumps (signal_handlers.py). While there is none, pages skip the check's
queries; once there is one, every page checks as Wagtail does.
"""

from wagtail.models import PageViewRestriction

from .page_cache import per_version


@per_version
def any_restrictions():
    return PageViewRestriction.objects.exists()


class ViewRestrictionsMixin:
    """For the site's page models: Wagtail's check, skipped while no page of the site is restricted."""

    def get_view_restrictions(self):
        if not any_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
