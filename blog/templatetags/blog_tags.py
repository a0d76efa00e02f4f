import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from blog import markdown
from blog.models import BlogIndexPage
from machinery.page_cache import KeptPerVersion

register = template.Library()


@register.simple_tag(takes_context=True)
def site_heading(context):
    """The blog's name and tagline as its editor set them: "E-Scribe : a programmer’s blog".

    Before there is a blog, and on the error page (no request, and the database may be
    what broke), the site's name from settings and the tagline a new blog starts with.
    """
    request = context.get("request")
    blog = BlogIndexPage.for_request(request) if request else None
    if blog:
        return {"name": blog.title, "tagline": blog.tagline}
    return {"name": settings.WAGTAIL_SITE_NAME, "tagline": BlogIndexPage._meta.get_field("tagline").default}


@register.simple_tag
def description(page, fallback):
    """What search engines and link previews show for a page: its search description, else a post's summary or
    a sidebar page's blurb, else ``fallback``. (In a template, a field the page lacks costs a ``dir(page)``.)"""
    fields = ("search_description", "summary", "blurb")
    return next((text for text in (getattr(page, name, "") for name in fields) if text), fallback)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's one address: the path, plus the page number of a listing; other parameters are noise. A page
    shown at another address (a post with its comment form, under /comments/) names its own: ``canonical_path``."""
    request = context["request"]
    page = request.GET.get("page", "")
    path = context.get("canonical_path") or request.path + (f"?page={page}" if page.isdigit() and page != "1" else "")
    return request.build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def feed_links(context):
    """<link rel="alternate"> to the site's feeds, and to the tag's on a tag page: made once per host, tag and
    page-cache version, since every page has them."""
    request, tag = context["request"], context.get("tag")

    def html():
        return format_html_join(
            "\n", '<link rel="alternate" type="{}" title="{}" href="{}">', links_to_feeds(request, tag)
        )

    return known_feed_links.get((request.get_host(), tag and tag.slug), html)


known_feed_links = KeptPerVersion(1000)  # (host, tag slug or None) → the feed links of its pages, as HTML


def links_to_feeds(request, tag):
    blog = BlogIndexPage.for_request(request)
    if not blog:
        return []
    feeds = [(blog.title, "feed", "atom_feed", [])]
    if tag:
        feeds.append((f"Posts tagged {tag.name}", "tag_feed", "tag_atom_feed", [tag.slug]))
    links = []
    for title, rss, atom, args in feeds:
        links.append(("application/rss+xml", f"{title} (RSS)", blog.route_url(rss, *args, request=request)))
        links.append(("application/atom+xml", f"{title} (Atom)", blog.route_url(atom, *args, request=request)))
    return links


@register.filter
def json_ld(data):
    """JSON for a <script type="application/ld+json">, with <, > and & escaped so it cannot end the script."""
    text = json.dumps(data, cls=DjangoJSONEncoder)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


@register.filter
def markdown_html(text):
    """Markdown as sanitised HTML (blog/markdown.py); its references become links in ``{% references %}``."""
    return markdown.render(text)


class FinishedNode(template.Node):
    """What a block tag wraps, rendered, then finished by ``finish(html, context)``: page-wide work done once."""

    def __init__(self, nodelist, finish):
        self.nodelist, self.finish = nodelist, finish

    def render(self, context):
        return self.finish(self.nodelist.render(context), context)


def finishing_tag(name, finish):
    def tag(parser, token):
        nodelist = parser.parse((f"end{name}",))
        parser.delete_first_token()
        return FinishedNode(nodelist, finish)

    tag.__doc__ = finish.__doc__
    register.tag(name, tag)


def references(html, context):
    """``{% references %}…{% endreferences %}``: the Markdown references in what it wraps made links, all at once."""
    return markdown.resolve([html], context.get("request"))[0]


finishing_tag("references", references)


CODE = 'class="highlight"'  # what blog/markdown.py wraps highlighted code in, in posts, pages and comments
CODE_STYLESHEET = "vendor/pygments/pygments.css"


def code_style(html, context):
    """``{% code_style %}…{% endcode_style %}``: what it wraps, after the code-highlighting stylesheet if it shows
    any code. Pages without code never load it: in the head, it held up every page's first paint."""
    if CODE not in html:
        return html
    return format_html('<link rel="stylesheet" href="{}">', static(CODE_STYLESHEET)) + html


finishing_tag("code_style", code_style)


@register.simple_tag
def picture(image):
    """An <img> of a library image at the sizes screens need, as pictures in a post's text are (blog/markdown.py)."""
    try:
        renditions = list(image.get_renditions(*markdown.specs_for(image.width)).values())
    except OSError:  # its file is gone or unreadable: the post without it
        return ""
    return format_html('<img {} alt="{}">', mark_safe(markdown.picture(renditions)), image.default_alt_text)  # noqa: S308
