"""Adding many pages under one parent fast: the tree paths treebeard would give them, and the count it keeps.

Used where pages arrive by the thousand (the importers, the benchmark's data): treebeard's
``add_child`` reads the parent's last child and saves the parent again for every page.
"""

import itertools

from wagtail.models import Page


def recount_children(page):
    """Store how many children the page has, as treebeard would after adding or removing them one by one."""
    Page.objects.filter(pk=page.pk).update(numchild=Page.objects.child_of(page).count())


def new_child_paths(parent):
    """The tree paths of new children after the parent's last, in turn, the ones `add_child` would give them.

    `add_child` reads the parent's last child and saves the parent for each page, far too slow for
    10,000 pages, so the paths are computed here from treebeard's documented materialized-path settings:
    a child's path is its parent's followed by its position among its siblings, in `Page.steplen` digits
    of `Page.alphabet`. The parent's `numchild` is then set once (`recount_children`).
    """
    alphabet, base = Page.alphabet, len(Page.alphabet)
    last = Page.objects.child_of(parent).order_by("-path").values_list("path", flat=True).first()
    position = 0  # of the last child, read from the end of its path
    for digit in (last or "")[-Page.steplen :]:
        position = position * base + alphabet.index(digit)
    for number in itertools.count(position + 1):
        if number >= base**Page.steplen:
            raise ValueError(f"No room for more pages under {parent.url_path}.")
        digits = ""
        for _ in range(Page.steplen):
            number, digit = divmod(number, base)
            digits = alphabet[digit] + digits
        yield parent.path + digits


def next_child_paths(parent, count):
    return list(itertools.islice(new_child_paths(parent), count))
