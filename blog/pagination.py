"""One paginator for every list a reader can page through."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404


def paginate(request, queryset, per_page, allow_empty=True):
    """Return the requested page; a page number that is not a page is a 404, never a 500, as is an empty
    list unless ``allow_empty``."""
    paginator = Paginator(queryset, per_page, allow_empty_first_page=allow_empty)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404(str(exc)) from exc
