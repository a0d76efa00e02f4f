"""Filters for the comment moderation listing, shared by the listing and its "select all" bulk actions."""

import django_filters
from django.db.models import Q
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from .models import BlogPage, Comment


class CommentFilterSet(WagtailFilterSet):
    post = django_filters.ModelChoiceFilter(
        queryset=BlogPage.objects.filter(comments__isnull=False).distinct().order_by("title"), label="Post"
    )
    created = django_filters.DateFromToRangeFilter(label="Posted", widget=DateRangePickerWidget)

    class Meta:
        model = Comment
        fields = ["status", "spam_check", "post", "created"]


def filtered_comments(params):
    """The comments a moderator sees in the listing for these query parameters (filters and search)."""
    comments = CommentFilterSet(params, queryset=Comment.objects.all()).qs
    if query := params.get("q"):
        comments = comments.filter(Q(name__icontains=query) | Q(email__icontains=query) | Q(text__icontains=query))
    return comments
