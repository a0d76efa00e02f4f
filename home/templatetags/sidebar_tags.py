from django import template

from home.sidebar import sidebar_context

register = template.Library()


@register.inclusion_tag("includes/sidebar.html", takes_context=True)
def sidebar(context):
    request = context["request"]
    return {"request": request, **sidebar_context(request)}
