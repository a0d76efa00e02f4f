"""blog.archives at unit level: a Period's label, URL arguments, first and last day and
neighbours, and the months() / years() groupings over published posts.

The archive pages, their older/newer links, the archive index and the sitemap are all
built from these; tests/test_archives.py checks the pages, this checks the arithmetic
they rely on (month ends, leap years, December, skipped empty periods).
"""

import datetime

import pytest

from blog.archives import Period, months, years
from blog.models import BlogPage

from .factories import BlogPageFactory

D = datetime.date


# Period on its own -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "label", "args", "route_name"),
    [
        (Period(2016), "2016", ["2016"], "year"),
        (Period(2016, 4), "April 2016", ["2016", "04"], "month"),
        (Period(2016, 12), "December 2016", ["2016", "12"], "month"),
        (Period(215), "215", ["0215"], "year"),  # a typo'd year still makes a four-digit URL
        (Period(215, 3), "March 215", ["0215", "03"], "month"),
    ],
)
def test_label_args_and_route_name(period, label, args, route_name):
    assert period.label == label
    assert period.args == args
    assert period.route_name == route_name


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        (Period(2016), D(2016, 1, 1), D(2016, 12, 31)),
        (Period(2016, 1), D(2016, 1, 1), D(2016, 1, 31)),
        (Period(2016, 2), D(2016, 2, 1), D(2016, 2, 29)),  # leap year
        (Period(2015, 2), D(2015, 2, 1), D(2015, 2, 28)),
        (Period(2000, 2), D(2000, 2, 1), D(2000, 2, 29)),  # divisible by 400: leap
        (Period(1900, 2), D(1900, 2, 1), D(1900, 2, 28)),  # divisible by 100: not
        (Period(2016, 4), D(2016, 4, 1), D(2016, 4, 30)),
        (Period(2016, 12), D(2016, 12, 1), D(2016, 12, 31)),  # no month 13 to step into
    ],
)
def test_dates_are_the_first_and_last_day(period, first, last):
    assert period.dates() == (first, last)
    assert period.filters() == {"date__gte": first, "date__lte": last}


def test_of_same_kind_keeps_a_year_a_year_and_a_month_a_month():
    day = D(2014, 2, 14)
    assert Period(2016).of_same_kind(day) == Period(2014)
    assert Period(2016, 4).of_same_kind(day) == Period(2014, 2)
    assert Period(2016, 4, count=3).of_same_kind(day).count == 0  # a fresh period, not a copy


def test_periods_are_values():
    """Frozen and comparable: equal periods compare equal and can key a dict."""
    assert Period(2016, 4) == Period(2016, 4)
    assert Period(2016, 4) != Period(2016)
    assert len({Period(2016, 4), Period(2016, 4), Period(2016)}) == 2
    with pytest.raises(AttributeError):
        Period(2016).year = 2017


# Over posts -------------------------------------------------------------------------------------

DATES = [D(2014, 2, 14), D(2015, 12, 31), D(2016, 1, 1), D(2016, 4, 1), D(2016, 4, 20), D(2016, 9, 3)]


@pytest.fixture
def posts(blog):
    made = [BlogPageFactory(parent=blog, slug=f"post-{d:%Y-%m-%d}", date=d) for d in DATES]
    # Neither a draft nor a post in a restricted section makes a period exist.
    BlogPageFactory(parent=blog, slug="draft", date=D(2013, 5, 5), live=False)
    BlogPageFactory(parent=blog, slug="private", date=D(2016, 6, 6))
    BlogPage.objects.filter(slug="private").update(view_restricted=True)
    return made


def published():
    return BlogPage.objects.published()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("period", "older", "newer"),
    [
        (Period(2016, 4), Period(2016, 1), Period(2016, 9)),  # May to August empty; June only private
        (Period(2016, 1), Period(2015, 12), Period(2016, 4)),  # across New Year, both ways
        (Period(2015, 12), Period(2014, 2), Period(2016, 1)),
        (Period(2014, 2), None, Period(2015, 12)),  # the draft's May 2013 does not count
        (Period(2016, 9), Period(2016, 4), None),
        (Period(2016), Period(2015), None),
        (Period(2015), Period(2014), Period(2016)),
        (Period(2014), None, Period(2015)),
        (Period(2010), None, Period(2014)),  # an empty period still finds its neighbours
        (Period(2016, 5), Period(2016, 4), Period(2016, 9)),
    ],
)
def test_neighbours_skip_empty_periods(posts, period, older, newer):
    assert period.neighbours(published()) == (older, newer)


@pytest.mark.django_db
def test_neighbours_are_two_queries(posts, django_assert_num_queries):
    with django_assert_num_queries(2):
        Period(2016, 4).neighbours(published())


@pytest.mark.django_db
def test_filters_select_exactly_the_periods_posts(posts):
    def in_period(period):
        return sorted(post.date for post in published().filter(**period.filters()))

    assert in_period(Period(2016, 4)) == [D(2016, 4, 1), D(2016, 4, 20)]
    assert in_period(Period(2016, 1)) == [D(2016, 1, 1)]  # first day included
    assert in_period(Period(2015, 12)) == [D(2015, 12, 31)]  # last day included
    assert in_period(Period(2016)) == [D(2016, 1, 1), D(2016, 4, 1), D(2016, 4, 20), D(2016, 9, 3)]
    assert in_period(Period(2016, 6)) == []  # only a private post


@pytest.mark.django_db
def test_months_counts_newest_first(posts):
    assert [(m.year, m.month, m.count) for m in months(published())] == [
        (2016, 9, 1),
        (2016, 4, 2),
        (2016, 1, 1),
        (2015, 12, 1),
        (2014, 2, 1),
    ]


@pytest.mark.django_db
def test_months_latest_is_the_newest_publication_in_the_month(posts):
    april = [post for post in posts if (post.date.year, post.date.month) == (2016, 4)]
    april[0].save_revision().publish()  # republished last: its time is the month's latest
    newest = BlogPage.objects.get(pk=april[0].pk).last_published_at
    by_month = {(m.year, m.month): m for m in months(published())}
    assert by_month[2016, 4].latest == newest
    assert by_month[2016, 9].latest == BlogPage.objects.get(pk=posts[-1].pk).last_published_at


@pytest.mark.django_db
def test_years_group_their_months(posts):
    found = years(published())
    assert [(y.year, y.month, y.count) for y in found] == [(2016, None, 4), (2015, None, 1), (2014, None, 1)]
    assert [(m.year, m.month, m.count) for m in found[0].months] == [(2016, 9, 1), (2016, 4, 2), (2016, 1, 1)]
    assert [m.label for m in found[1].months] == ["December 2015"]
    assert all(month.year == year.year for year in found for month in year.months)


@pytest.mark.django_db
def test_a_years_latest_is_its_newest_months_latest(posts):
    found = {y.year: y for y in years(published())}
    assert found[2016].latest == max(m.latest for m in found[2016].months)
    newest_2016 = published().filter(date__year=2016).order_by("-last_published_at").first()
    assert found[2016].latest == newest_2016.last_published_at


@pytest.mark.django_db
def test_months_and_years_are_one_query(posts, django_assert_num_queries):
    with django_assert_num_queries(1):
        months(published())
    with django_assert_num_queries(1):
        years(published())


@pytest.mark.django_db
def test_no_posts_no_periods(blog):
    assert months(published()) == []
    assert years(published()) == []
    assert Period(2016).neighbours(published()) == (None, None)
