"""Date archives: which years and months have posts, and the way from one to its neighbours."""

import calendar
import dataclasses
import datetime

from django.db.models import Count, Max
from django.db.models.functions import ExtractMonth, ExtractYear


@dataclasses.dataclass(frozen=True)
class Period:
    """A year, or a month of a year, with how many posts it has and when the newest was last published."""

    year: int
    month: int | None = None
    count: int = 0
    latest: datetime.datetime | None = None
    months: tuple = ()  # a year's months with posts, newest first

    @property
    def route_name(self):
        return "year" if self.month is None else "month"

    @property
    def args(self):
        return [f"{self.year:04d}"] if self.month is None else [f"{self.year:04d}", f"{self.month:02d}"]

    @property
    def label(self):
        return str(self.year) if self.month is None else f"{calendar.month_name[self.month]} {self.year}"

    def dates(self):
        """The first and the last day of the period."""
        if self.month is None:
            return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        last_day = calendar.monthrange(self.year, self.month)[1]
        return datetime.date(self.year, self.month, 1), datetime.date(self.year, self.month, last_day)

    def filters(self):
        return dict(zip(("date__gte", "date__lte"), self.dates(), strict=True))

    def of_same_kind(self, date):
        return Period(date.year, None if self.month is None else date.month)

    def neighbours(self, posts):
        """The nearest older and newer periods of the same kind that have posts (or None).

        Two seeks on the date index, however many posts there are, where grouping
        every post by month would read them all.
        """
        first, last = self.dates()
        dates = posts.order_by().values_list("date", flat=True)
        older = dates.filter(date__lt=first).order_by("-date").first()
        newer = dates.filter(date__gt=last).order_by("date").first()
        return tuple(date and self.of_same_kind(date) for date in (older, newer))


def months(posts):
    """Every month with posts, newest first: one query."""
    rows = (
        posts.order_by()
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("y", "m")
        .annotate(count=Count("id"), latest=Max("last_published_at"))
        .order_by("-y", "-m")
    )
    return [Period(row["y"], row["m"], row["count"], row["latest"]) for row in rows]


def years_from(month_periods):
    by_year = {}
    for month in month_periods:
        by_year.setdefault(month.year, []).append(month)
    return [
        Period(
            year,
            count=sum(m.count for m in year_months),
            latest=max((m.latest for m in year_months if m.latest), default=None),
            months=tuple(year_months),
        )
        for year, year_months in by_year.items()
    ]


def years(posts):
    """Every year with posts, newest first, each with its months: one query."""
    return years_from(months(posts))
