"""One paginator for every list a reader can page through."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404


def paginate(request, queryset, per_page):
    """Return the requested page; a page number that is not a page is a 404, never a 500."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404(str(exc)) from exc
