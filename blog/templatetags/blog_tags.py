import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from blog.models import BlogIndexPage

register = template.Library()


@register.inclusion_tag("includes/feed_links.html", takes_context=True)
def feed_links(context):
    """<link rel="alternate"> to the site's feeds, and to the tag's on a tag page."""
    request = context["request"]
    blog = BlogIndexPage.for_request(request)
    if not blog:
        return {"links": []}
    feeds = [(blog.title, "feed", "atom_feed", [])]
    if tag := context.get("tag"):
        feeds.append((f"Posts tagged {tag.name}", "tag_feed", "tag_atom_feed", [tag.slug]))
    links = []
    for title, rss, atom, args in feeds:
        links.append(("application/rss+xml", f"{title} (RSS)", blog.route_url(rss, *args, request=request)))
        links.append(("application/atom+xml", f"{title} (Atom)", blog.route_url(atom, *args, request=request)))
    return {"links": links}


@register.filter
def json_ld(data):
    """JSON for a <script type="application/ld+json">, with <, > and & escaped so it cannot end the script."""
    text = json.dumps(data, cls=DjangoJSONEncoder)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308
