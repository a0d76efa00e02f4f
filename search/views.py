"""The search page: published posts matching the reader's words, best first when that is affordable."""

from django.template.response import TemplateResponse

from blog.models import BlogPage
from blog.pagination import paginate

from .highlight import excerpt, terms

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
# Wagtail's SQLite backend ranks with a subquery per match, so ranking costs the square of
# the matches: a word in 10,000 posts took 45 s. Beyond this many, matches come newest first.
RANK_AT_MOST = 200


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    words = terms(query)
    # Only words are searched: a query of punctuation alone finds nothing rather than everything.
    posts, ranked, matches = [], False, 0  # nothing to fetch, not even an empty query's compiling
    if words:
        text, published = " ".join(words), BlogPage.objects.published()
        posts = published.search(text, order_by_relevance=False)
        matches = posts.count()
        ranked = 1 < matches <= RANK_AT_MOST  # one match, or none, needs no scores: they would double its cost
        if ranked:
            posts = published.search(text)
        elif not matches:
            posts = []
    results = paginate(request, posts, RESULTS_PER_PAGE, count=matches)
    for post in results:
        post.excerpt = excerpt([post.summary, post.body_html], words)
    context = {"query": query, "searched": bool(words), "ranked": ranked, "results": results}
    return TemplateResponse(request, "search/search.html", context)
