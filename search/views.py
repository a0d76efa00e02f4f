"""The search page: published posts matching the reader's words, best first."""

from django.template.response import TemplateResponse

from blog.models import BlogPage
from blog.pagination import paginate

from .highlight import excerpt, terms

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    words = terms(query)
    # Only words are searched: a query of punctuation alone finds nothing rather than everything.
    posts = BlogPage.objects.published().search(" ".join(words)) if words else BlogPage.objects.none()
    results = paginate(request, posts, RESULTS_PER_PAGE)
    for post in results:
        post.excerpt = excerpt([post.summary, post.body_html], words)
    context = {"query": query, "searched": bool(words), "results": results}
    return TemplateResponse(request, "search/search.html", context)
