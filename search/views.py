"""The search page: published posts matching the reader's words."""

from django.template.response import TemplateResponse

from blog.models import BlogPage
from blog.pagination import paginate

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = BlogPage.objects.published().search(query) if query else BlogPage.objects.none()
    return TemplateResponse(
        request,
        "search/search.html",
        {"query": query, "results": paginate(request, results, 10)},
    )
