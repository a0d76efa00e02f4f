"""The querysets every surface gets its posts and comments from, tested directly.

Listings, feeds, archives, search, the sitemap and the tag cloud all start from
``BlogPage.objects.published()``; the moderators' queue and the post pages from
``Comment.objects.approved()/pending()``. A slip here shows a draft or a private
post everywhere at once, so these are pinned down at the queryset level, as
djangoproject.com tests ``Entry.objects.published()``.
"""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from blog.comments.models import Comment
from blog.models import BlogPage

from .factories import BlogPageFactory, CommentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2016, 4, 1)


def slugs(queryset):
    return [post.slug for post in queryset]


def restrict_quietly(page):
    """A login restriction on ``page`` that no signal hears about (bulk_create sends no post_save)."""
    return PageViewRestriction.objects.bulk_create([PageViewRestriction(page=page, restriction_type="login")])[0]


# published() ------------------------------------------------------------------------------------


def test_published_is_live_posts_only(blog):
    BlogPageFactory(parent=blog, slug="live", date=DAY)
    BlogPageFactory(parent=blog, slug="draft", date=DAY, live=False)
    BlogPageFactory(parent=blog, slug="withdrawn", date=DAY).unpublish()
    assert slugs(BlogPage.objects.published()) == ["live"]


def test_published_leaves_out_view_restricted_posts(blog):
    BlogPageFactory(parent=blog, slug="public", date=DAY)
    private = BlogPageFactory(parent=blog, slug="private", date=DAY)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert BlogPage.objects.get(slug="private").view_restricted
    assert slugs(BlogPage.objects.published()) == ["public"]


def test_published_trusts_the_flag_not_the_tree(blog):
    """The flag is what keeps listings off Wagtail's page paths: published() reads it and nothing else."""
    BlogPageFactory(parent=blog, slug="flagged", date=DAY)
    BlogPage.objects.filter(slug="flagged").update(view_restricted=True)
    assert slugs(BlogPage.objects.published()) == []


def test_published_is_newest_date_first(blog):
    for slug, date in [
        ("middle", datetime.date(2016, 1, 1)),
        ("newest", datetime.date(2017, 1, 1)),
        ("oldest", datetime.date(2015, 1, 1)),
    ]:
        BlogPageFactory(parent=blog, slug=slug, date=date)
    assert slugs(BlogPage.objects.published()) == ["newest", "middle", "oldest"]


def test_published_breaks_date_ties_newest_made_first(blog):
    """By id, which the date index holds: SQLite walks it and stops at the page's last post."""
    for n in range(4):
        BlogPageFactory(parent=blog, slug=f"p{n}", date=DAY)
    assert slugs(BlogPage.objects.published()) == ["p3", "p2", "p1", "p0"]
    assert BlogPage.objects.published().query.order_by == ("-date", "-id")


def test_published_pages_never_repeat_or_skip_a_post(blog):
    """Posts with the same date and publication time still page through exactly once each."""
    posts = [BlogPageFactory(parent=blog, slug=f"same-{n}", date=DAY) for n in range(7)]
    BlogPage.objects.update(first_published_at=timezone.now())
    paginator = Paginator(BlogPage.objects.published(), 3)
    seen = [post.pk for number in paginator.page_range for post in paginator.page(number)]
    assert sorted(seen) == sorted(post.pk for post in posts)
    assert len(seen) == len(set(seen))


def test_published_can_be_narrowed_further(blog):
    BlogPageFactory(parent=blog, slug="tagged", date=DAY, tags=["django"])
    BlogPageFactory(parent=blog, slug="untagged", date=DAY)
    assert slugs(BlogPage.objects.published().filter(tags__name="django")) == ["tagged"]


# with_tags() ------------------------------------------------------------------------------------


@pytest.fixture
def tagged_posts(blog):
    for n in range(5):
        BlogPageFactory(parent=blog, slug=f"tagged-{n}", date=DAY, tags=["zebra", "Apple", f"only-{n}", "banana"])


def test_with_tags_reads_a_page_of_posts_tags_in_one_query(tagged_posts, django_assert_num_queries):
    with django_assert_num_queries(2):  # the posts, then every post's tags
        posts = list(BlogPage.objects.published().with_tags()[:3])
        tag_lists = [[tag.name for tag in post.tag_list] for post in posts]
    assert len(posts) == 3
    assert all(len(names) == 4 for names in tag_lists)


def test_without_with_tags_each_post_costs_queries(tagged_posts):
    """What with_tags() saves: without it, tag_list queries at least once per post."""
    posts = list(BlogPage.objects.published()[:3])
    with CaptureQueriesContext(connection) as queries:
        for post in posts:
            post.tag_list  # noqa: B018
    assert len(queries) >= len(posts)


def test_tag_list_is_in_case_insensitive_name_order(tagged_posts):
    post = BlogPage.objects.published().with_tags().get(slug="tagged-2")
    assert [tag.name for tag in post.tag_list] == ["Apple", "banana", "only-2", "zebra"]


# sync_view_restrictions() -----------------------------------------------------------------------


def flags():
    return dict(BlogPage.objects.values_list("slug", "view_restricted"))


def test_sync_follows_a_restriction_added_behind_the_signals_back(blog):
    BlogPageFactory(parent=blog, slug="kept", date=DAY)
    secret = BlogPageFactory(parent=blog, slug="secret", date=DAY)
    restrict_quietly(secret)
    assert flags() == {"kept": False, "secret": False}  # no signal: the flag is stale
    BlogPage.objects.sync_view_restrictions()
    assert flags() == {"kept": False, "secret": True}
    assert slugs(BlogPage.objects.published()) == ["kept"]


def test_sync_follows_a_restriction_removed_through_a_queryset(blog):
    BlogPageFactory(parent=blog, slug="kept", date=DAY)
    secret = BlogPageFactory(parent=blog, slug="secret", date=DAY)
    restriction = restrict_quietly(secret)
    BlogPage.objects.sync_view_restrictions()
    PageViewRestriction.objects.filter(pk=restriction.pk).delete()
    BlogPage.objects.filter(slug="secret").update(view_restricted=True)  # as if no handler had run
    BlogPage.objects.sync_view_restrictions()
    assert flags() == {"kept": False, "secret": False}
    assert set(slugs(BlogPage.objects.published())) == {"secret", "kept"}


def test_sync_follows_a_restriction_on_an_ancestor(blog):
    for slug in ("one", "two"):
        BlogPageFactory(parent=blog, slug=slug, date=DAY)
    restriction = restrict_quietly(blog)
    BlogPage.objects.sync_view_restrictions()
    assert flags() == {"one": True, "two": True}
    PageViewRestriction.objects.filter(pk=restriction.pk).delete()
    BlogPage.objects.sync_view_restrictions()
    assert flags() == {"one": False, "two": False}


def test_sync_ignores_restrictions_elsewhere_in_the_tree(blog):
    BlogPageFactory(parent=blog, slug="post", date=DAY)
    elsewhere = Page.get_first_root_node().add_child(instance=Page(title="Members", slug="members"))
    restrict_quietly(elsewhere)
    BlogPage.objects.sync_view_restrictions()
    assert flags() == {"post": False}


def test_sync_is_two_updates_whatever_the_number_of_posts(blog):
    """Wagtail's not_public() reads the restrictions once; then one UPDATE sets flags and one clears them."""
    BlogPageFactory(parent=blog, slug="a", date=DAY)
    restrict_quietly(BlogPageFactory(parent=blog, slug="b", date=DAY))
    with CaptureQueriesContext(connection) as queries:
        BlogPage.objects.sync_view_restrictions()
    statements = [query["sql"].split()[0] for query in queries]
    assert statements == ["SELECT", "UPDATE", "UPDATE"]
    assert flags() == {"a": False, "b": True}


def test_sync_on_a_narrowed_queryset_touches_only_those_posts(blog):
    restrict_quietly(blog)
    for slug in ("in", "out"):
        BlogPageFactory(parent=blog, slug=slug, date=DAY)
    BlogPage.objects.update(view_restricted=False)
    BlogPage.objects.filter(slug="in").sync_view_restrictions()
    assert flags() == {"in": True, "out": False}


# has_restricted_ancestor() ----------------------------------------------------------------------


def test_has_restricted_ancestor_sees_the_post_itself_and_pages_above(blog):
    post = BlogPageFactory(parent=blog, slug="post", date=DAY)
    assert not post.has_restricted_ancestor()
    restriction = restrict_quietly(post)
    assert post.has_restricted_ancestor()
    restriction.delete()
    restrict_quietly(blog)
    assert post.has_restricted_ancestor()


def test_has_restricted_ancestor_ignores_siblings_and_other_branches(blog):
    post = BlogPageFactory(parent=blog, slug="post", date=DAY)
    restrict_quietly(BlogPageFactory(parent=blog, slug="sibling", date=DAY))
    restrict_quietly(Page.get_first_root_node().add_child(instance=Page(title="Members", slug="members")))
    assert not post.has_restricted_ancestor()


def test_has_restricted_ancestor_is_one_query(blog, django_assert_num_queries):
    post = BlogPageFactory(parent=blog, slug="post", date=DAY)
    restrict_quietly(blog)
    with django_assert_num_queries(1):
        assert post.has_restricted_ancestor()


def test_a_post_saved_under_a_quiet_restriction_is_flagged_at_save(blog):
    """save() sets the flag from has_restricted_ancestor(), whatever the signals missed."""
    post = BlogPageFactory(parent=blog, slug="post", date=DAY)
    restrict_quietly(blog)
    post.save_revision().publish()
    assert flags() == {"post": True}


# Comment.objects ----------------------------------------------------------------------------------


@pytest.fixture
def comments(blog):
    post = BlogPageFactory(parent=blog, slug="discussed", date=DAY)
    S, C = Comment.Status, Comment.SpamCheck
    made = {
        "approved": CommentFactory(post=post, status=S.APPROVED, spam_check=C.HAM),
        "pending-unchecked": CommentFactory(post=post, status=S.PENDING, spam_check=C.UNCHECKED),
        "pending-error": CommentFactory(post=post, status=S.PENDING, spam_check=C.ERROR),
        "pending-ham": CommentFactory(post=post, status=S.PENDING, spam_check=C.HAM),
        "pending-skipped": CommentFactory(post=post, status=S.PENDING, spam_check=C.SKIPPED),
        "rejected": CommentFactory(post=post, status=S.REJECTED, spam_check=C.UNCHECKED),
        "spam": CommentFactory(post=post, status=S.SPAM, spam_check=C.ERROR),
    }
    return {comment.pk: name for name, comment in made.items()}


def names(comments, queryset):
    return {comments[pk] for pk in queryset.values_list("pk", flat=True)}


def test_approved_is_approved_comments_only(comments):
    assert names(comments, Comment.objects.approved()) == {"approved"}


def test_pending_is_every_comment_waiting_for_a_moderator(comments):
    assert names(comments, Comment.objects.pending()) == {
        "pending-unchecked",
        "pending-error",
        "pending-ham",
        "pending-skipped",
    }


def test_awaiting_spam_check_is_pending_comments_with_no_verdict(comments):
    """Unchecked or failed, and still pending: a rejected or spam comment is never checked again."""
    assert names(comments, Comment.objects.awaiting_spam_check()) == {"pending-unchecked", "pending-error"}


def test_comment_querysets_chain_from_a_posts_related_manager(blog, comments):
    other = BlogPageFactory(parent=blog, slug="quiet", date=DAY)
    CommentFactory(post=other, status=Comment.Status.APPROVED)
    discussed = BlogPage.objects.get(slug="discussed")
    assert names(comments, discussed.comments.approved()) == {"approved"}
    assert other.comments.pending().count() == 0
    assert Comment.objects.approved().count() == 2


def test_a_posts_neighbours_follow_the_listings_order_on_a_shared_date(blog):
    """The previous and next links walk the posts in the order the front page lists them, ties included."""
    first, middle, last = (BlogPageFactory(parent=blog, slug=f"p{n}", date=DAY) for n in range(3))
    listed = list(BlogPage.objects.published())
    assert listed == [last, middle, first]
    assert middle.neighbours == (first, last)  # older, newer


def test_a_posts_neighbours_are_each_asked_as_one_range_of_dates(blog):
    """An OR of "an earlier date, or the same date and a lower id" made SQLite gather every older post and sort
    them (28 ms for the newest post at 10,000 posts): each neighbour is one date range, walked in order."""
    before, post, after = (
        BlogPageFactory(parent=blog, slug=f"p{n}", date=DAY + datetime.timedelta(n)) for n in range(3)
    )
    with CaptureQueriesContext(connection) as queries:
        assert post.neighbours == (before, after)
    assert len(queries) == 2
    for query, direction in zip(queries, ("<=", ">="), strict=True):
        assert f'"blog_blogpage"."date" {direction} ' in query["sql"] and " OR " not in query["sql"]
