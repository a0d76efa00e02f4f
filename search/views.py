"""The search page: published posts matching the reader's words, best first when that is affordable."""

from django.template.response import TemplateResponse

from blog.models import BlogPage
from blog.pagination import first_page_asked, paginate

from .highlight import excerpt, terms

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
# Wagtail's SQLite backend ranks with a subquery per match, so ranking costs the square of
# the matches: a word in 10,000 posts took 45 s. Beyond this many, matches come newest first.
RANK_AT_MOST = 200
# What a result shows (its link, title, date and excerpt): 5 of a post's 45 columns, a sixth less of its query's cost.
RESULT_FIELDS = ["title", "url_path", "date", "summary", "body_html"]


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    words = terms(query)
    # Only words are searched: a query of punctuation alone finds nothing rather than everything.
    posts, ranked, matches = [], False, 0  # nothing to fetch, not even an empty query's compiling
    if words:
        text, published = " ".join(words), BlogPage.objects.published().only(*RESULT_FIELDS)
        posts, matches = newest_matches(request, published.search(text, order_by_relevance=False))
        ranked = 1 < matches <= RANK_AT_MOST  # one match, or none, needs no scores: they would double its cost
        if ranked:
            posts = published.search(text)
    results = paginate(request, posts, RESULTS_PER_PAGE, count=matches)
    for post in results:
        post.excerpt = excerpt([post.summary, post.body_html], words)
    context = {"query": query, "searched": bool(words), "ranked": ranked, "results": results}
    return TemplateResponse(request, "search/search.html", context)


def newest_matches(request, newest):
    """The matches, newest first, and how many there are. On the first page the rows it shows are read at once,
    one beyond a page: most searches find a page or less, and then those rows are every match, counted without
    a COUNT (each query Wagtail's search builds costs more in Python than in SQL: a rare word's page is one query,
    not two). With more, the rows read still make the first page, unless the matches are few enough to rank."""
    if not first_page_asked(request):
        return newest, newest.count()
    first = list(newest[: RESULTS_PER_PAGE + 1])
    return first, len(first) if len(first) <= RESULTS_PER_PAGE else newest.count()
