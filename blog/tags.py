"""Tags as readers see them: only tags on published posts, with their weights."""

import math

from django.db.models import Count
from django.db.models.functions import Lower
from taggit.models import Tag

CLOUD_WEIGHTS = 5  # font-size steps in the Pile o'Tags, styled as .tag-w1 … .tag-w5


def tags_in_use():
    """Every tag on at least one live post, with ``num_posts``; one query."""
    return (
        Tag.objects.filter(blog_blogpagetag_items__content_object__live=True)
        .annotate(num_posts=Count("blog_blogpagetag_items", distinct=True))
        .order_by(Lower("name"))
    )


def tag_cloud():
    """Tags in use, each with a ``weight`` from 1 to CLOUD_WEIGHTS.

    The scale is logarithmic so that one very common tag does not squash
    every other tag to the smallest size.
    """
    tags = list(tags_in_use())
    if not tags:
        return []
    low = math.log(min(t.num_posts for t in tags))
    span = math.log(max(t.num_posts for t in tags)) - low
    for tag in tags:
        share = (math.log(tag.num_posts) - low) / span if span else 0
        tag.weight = 1 + round(share * (CLOUD_WEIGHTS - 1))
    return tags
