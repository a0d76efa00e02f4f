"""The search page: published posts matching the reader's words, best first when that is affordable."""

from django.template.response import TemplateResponse

from blog.models import BlogPage
from blog.pagination import first_page_asked, paginate

from .compiled import CompiledSearch
from .highlight import MAX_TERMS, excerpt, terms

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
# Wagtail's SQLite backend ranks with a subquery per match, so ranking costs the square of
# the matches: a word in 10,000 posts took 45 s. Beyond this many, matches come newest first.
RANK_AT_MOST = 200
# What a result shows (its link, title, date and excerpt): 5 of a post's 45 columns, a sixth less of its query's cost.
RESULT_FIELDS = ["title", "url_path", "date", "summary", "body_html"]


def matching(words, **options):
    return BlogPage.objects.published().only(*RESULT_FIELDS).search(" ".join(words), **options)


def newest_first(words):
    return matching(words, order_by_relevance=False)


# The rows a first page reads: one beyond a page (see newest_matches()).
first_rows = CompiledSearch(BlogPage, lambda words: newest_first(words)[: RESULTS_PER_PAGE + 1], MAX_TERMS)


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    words = terms(query)
    # Only words are searched: a query of punctuation alone finds nothing rather than everything.
    posts, ranked, matches = [], False, 0  # nothing to fetch, not even an empty query's compiling
    if words:
        posts, matches = newest_matches(request, words)
        ranked = 1 < matches <= RANK_AT_MOST  # one match, or none, needs no scores: they would double its cost
        if ranked:
            posts = matching(words)
    results = paginate(request, posts, RESULTS_PER_PAGE, count=matches)
    for post in results:
        post.excerpt = excerpt([post.summary, post.body_html], words)
    context = {"query": query, "searched": bool(words), "ranked": ranked, "results": results}
    return TemplateResponse(request, "search/search.html", context)


def newest_matches(request, words):
    """The matches, newest first, and how many there are. On the first page the rows it shows are read at once,
    one beyond a page, with SQL compiled once (compiled.py): most searches find a page or less, and then those rows
    are every match, counted without a COUNT (a rare word's page is one query, not two). With more, the rows read
    still make the first page, unless the matches are few enough to rank."""
    if not first_page_asked(request):
        newest = newest_first(words)
        return newest, newest.count()
    first = first_rows.rows(words)
    return first, len(first) if len(first) <= RESULTS_PER_PAGE else newest_first(words).count()
