"""blog.tags at unit level: which tags are in use on a set of posts, and the weights of the
Pile o'Tags.

The sidebar, the sitemap's tag pages and the tag pages' 404s all count tags through
``tags_in_use()``: a tag only on a draft must not exist for readers, and its ``latest``
feeds the sitemap's lastmod. ``tag_cloud()`` turns counts into CSS classes
``tag-w1`` … ``tag-wN``, and its log scale is a promise the design relies on.
"""

import datetime
import math
from pathlib import Path

import pytest
from django.conf import settings

from blog.models import BlogPage
from blog.tags import CLOUD_WEIGHTS, tag_cloud, tags_in_use

from .factories import BlogPageFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2016, 4, 1)


def tagged_post(blog, slug, tags, **kwargs):
    return BlogPageFactory(parent=blog, slug=slug, date=DAY, tags=tags, **kwargs)


def published():
    return BlogPage.objects.published()


# tags_in_use() ----------------------------------------------------------------------------------


def test_only_tags_on_the_given_posts(blog):
    tagged_post(blog, "public", ["shared", "public-only"])
    tagged_post(blog, "draft", ["shared", "draft-only"], live=False)
    tagged_post(blog, "private", ["private-only"])
    BlogPage.objects.filter(slug="private").update(view_restricted=True)
    tagged_post(blog, "untagged", [])
    assert [tag.name for tag in tags_in_use(published())] == ["public-only", "shared"]


def test_num_posts_counts_only_the_given_posts(blog):
    for n in range(3):
        tagged_post(blog, f"public-{n}", ["python", "django"] if n else ["python"])
    tagged_post(blog, "draft", ["python", "django"], live=False)
    counts = {tag.name: tag.num_posts for tag in tags_in_use(published())}
    assert counts == {"django": 2, "python": 3}


def test_num_posts_of_a_narrower_set(blog):
    for n in range(3):
        tagged_post(blog, f"p{n}", ["python"])
    assert [t.num_posts for t in tags_in_use(published().filter(slug__in=["p0", "p1"]))] == [2]


def test_latest_is_the_newest_publication_among_the_given_posts(blog):
    older = tagged_post(blog, "older", ["shared"])
    newer = tagged_post(blog, "newer", ["shared"])
    newer.save_revision().publish()  # published again, after ``older``
    newer.refresh_from_db()
    older.refresh_from_db()
    assert older.last_published_at < newer.last_published_at
    assert tags_in_use(published()).get().latest == newer.last_published_at
    # A tag's lastmod on a narrower set ignores posts outside it.
    assert tags_in_use(published().filter(pk=older.pk)).get().latest == older.last_published_at


def test_names_in_case_insensitive_order(blog):
    tagged_post(blog, "one", ["cherry", "Banana", "apple", "Durian"])
    assert [tag.name for tag in tags_in_use(published())] == ["apple", "Banana", "cherry", "Durian"]


def test_each_tag_once_however_many_posts_have_it(blog):
    for n in range(4):
        tagged_post(blog, f"p{n}", ["everywhere", f"only-{n}"])
    names = [tag.name for tag in tags_in_use(published())]
    assert names.count("everywhere") == 1
    assert len(names) == 5


def test_tags_in_use_is_one_query(blog, django_assert_num_queries):
    for n in range(4):
        tagged_post(blog, f"p{n}", ["a", "b", f"c{n}"])
    with django_assert_num_queries(1):
        tags = list(tags_in_use(published()))
        [(tag.name, tag.slug, tag.num_posts, tag.latest) for tag in tags]


# tag_cloud() ------------------------------------------------------------------------------------


def cloud_for(blog, counts):
    """Posts such that tag ``name`` is on ``counts[name]`` of them; the cloud as {name: weight}."""
    for n in range(max(counts.values())):
        tagged_post(blog, f"p{n}", [name for name, count in counts.items() if n < count])
    return {tag.name: tag.weight for tag in tag_cloud(published())}


def test_weights_follow_a_log_scale_from_1_to_cloud_weights(blog):
    weights = cloud_for(blog, {"one": 1, "two": 2, "four": 4, "sixteen": 16})
    # log2 of the counts is 0, 1, 2, 4: a quarter, a half and the whole of the span.
    assert weights == {"one": 1, "two": 2, "four": 3, "sixteen": CLOUD_WEIGHTS}


def test_one_very_common_tag_does_not_squash_the_others(blog):
    weights = cloud_for(blog, {"rare": 1, "some": 3, "common": 20})
    linear_weight_of_some = 1 + round((3 - 1) / (20 - 1) * (CLOUD_WEIGHTS - 1))
    assert linear_weight_of_some == 1  # what a linear scale would have shown
    assert weights["some"] > weights["rare"] == 1
    assert weights["common"] == CLOUD_WEIGHTS
    assert weights["some"] == 1 + round(math.log(3) / math.log(20) * (CLOUD_WEIGHTS - 1))


def test_all_tags_equally_common_weigh_1(blog):
    assert cloud_for(blog, {"a": 2, "b": 2, "c": 2}) == {"a": 1, "b": 1, "c": 1}


def test_a_single_tag_weighs_1(blog):
    assert cloud_for(blog, {"alone": 1}) == {"alone": 1}


def test_no_tags_in_use_makes_an_empty_cloud(blog):
    assert tag_cloud(published()) == []
    tagged_post(blog, "untagged", [])
    tagged_post(blog, "draft", ["hidden"], live=False)
    assert tag_cloud(published()) == []


def test_cloud_keeps_tags_in_use_order_and_counts(blog):
    tagged_post(blog, "one", ["Zeta", "alpha"])
    tagged_post(blog, "two", ["alpha"])
    cloud = tag_cloud(published())
    assert [(tag.name, tag.num_posts, tag.weight) for tag in cloud] == [("alpha", 2, CLOUD_WEIGHTS), ("Zeta", 1, 1)]


def test_every_weight_is_a_css_class_that_exists(blog):
    weights = cloud_for(blog, {f"t{n}": n for n in range(1, 12)})
    assert set(weights.values()) <= set(range(1, CLOUD_WEIGHTS + 1))
    assert min(weights.values()) == 1 and max(weights.values()) == CLOUD_WEIGHTS
    ordered = [weights[f"t{n}"] for n in range(1, 12)]
    assert ordered == sorted(ordered)  # more posts never means a smaller tag
    css = (Path(settings.BASE_DIR) / "static" / "css" / "escribe.css").read_text()
    assert all(f".tag-w{weight} " in css for weight in range(1, CLOUD_WEIGHTS + 1))
