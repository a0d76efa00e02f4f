"""The words of the seed page (shared/seed/e-scribe-front-page.txt) and a few earlier posts."""

import datetime
import re

AUTHOR = "Paul Bissex"
ABOUT_BLURB = (
    "I'm Paul Bissex. I build web applications using open source software, especially Django. "
    "Started my career doing graphic design for newspapers and magazines in the '90s. Then wrote "
    "tech commentary and reviews for Wired, Salon, Chicago Tribune, and others you never heard of. "
    "Then I built operations software at a photography school. Then I helped big media serve 40 "
    "million pages a day. Then I worked on a translation services API doing millions of dollars of "
    "business. Now I'm building the core platform of a global startup accelerator. Feel free to email me."
)
BOOK_BLURB = (
    'I co-wrote "Python Web Development with Django". It was the first book to cover the '
    "long-awaited Django 1.0. Published by Addison-Wesley and still in print!"
)
COLOPHON_BLURB = (
    "Built using Django, served with gunicorn and nginx. The database is SQLite. Hosted on a "
    "FreeBSD VPS at Johncompanies.com. Comment-spam protection by Akismet."
)
STUFF_I_USE = [
    "bitbucket",
    "Django",
    "Emacs",
    "FreeBSD",
    "Git",
    "jQuery",
    "LaunchBar",
    "Markdown",
    "Mercurial",
    "OS X",
    "Python",
    "Review Board",
    "S3",
    "SQLite",
    "Sublime Text",
    "Ubuntu Linux",
]

BOOK = {
    "book_title": "Python Web Development with Django",
    "authors": "Jeff Forcier, Paul Bissex, Wesley Chun",
    "publisher": "Addison-Wesley",
    "published_year": 2008,
    "isbn": "978-0132356138",
    "buy_links": [("InformIT", "https://www.informit.com/store/python-web-development-with-django-9780132356138")],
}

SEED_POST = {
    "title": "What happens when you screw up?",
    "slug": "what-happens-when-you-screw-up",
    "legacy_id": 1042,  # its /NNN address on the Django-era blog
    "date": datetime.date(2016, 4, 1),
    "tags": ["engineering", "culture"],
    "summary": "When a production bug bites, the question is not who typed the code "
    "but how the organization let it happen.",
    "body": """\
Non-engineers want to know: what happens when a big bug is found in your software, and the bug is \
causing real users real problems, and you're the one who wrote the code?

Engineers do sometimes write bad code, and sometimes it makes it into production, it's true.

But shipping production software involves a lot more than writing code. It goes beyond that one \
engineer. That engineer is not the only person who saw or ran that code.

In short, in a sizable professional software organization a single person doesn't really have the \
power to screw up all alone. So the right thing to do when a production bug bites you is, figure out \
how you - as an organization - let that happen.

What "happens to" the engineer who typed the code in question, hopefully, is that he/she \
participates in a post-mortem review that helps the team figure out how they can improve things to \
reduce the likelihood of similar problems in the future.

For more on this, read the utterly excellent and inspiring ["Blameless PostMortems and a Just \
Culture"](https://www.etsy.com/codeascraft/blameless-postmortems/) essay by John Allspaw of Etsy.
""",
}


def _posts(text):
    """Posts written one after another: each is a few "Name: value" lines, a blank line and the Markdown body.

    A new post starts at each line that begins with "Title: ", so no body may have such a line.
    """
    posts = []
    for entry in re.split(r"\n(?=Title: )", text):
        header, _, body = entry.partition("\n\n")
        fields = dict(line.split(": ", 1) for line in header.splitlines())
        posts.append(
            {
                "title": fields["Title"],
                "date": datetime.date.fromisoformat(fields["Date"]),
                "tags": fields["Tags"].split(", "),
                "summary": fields["Summary"],
                "body": body.rstrip("\n") + "\n",
            }
        )
    return posts


EARLIER_POSTS = _posts(
    """\
Title: Counting spam with a single SQL UPDATE
Date: 2015-11-12
Tags: Django, SQLite, Python
Summary: A counter that never goes down, without a race.

The spam counter in the sidebar is one row, bumped atomically:

```python
from django.db.models import F

SpamCounter.objects.filter(pk=1).update(killed=F("killed") + 1)
```

No read-modify-write, so two workers can't lose a count between them.

Title: SQLite is a fine production database
Date: 2015-06-03
Tags: SQLite, Django
Summary: For a blog, SQLite in WAL mode is plenty, and backups are a file copy.

Most of the sites I run are read-heavy. With WAL journaling, readers never block the writer, and the \
whole database is one file to back up.

Title: gunicorn behind nginx, the short version
Date: 2014-09-20
Tags: Django, nginx, gunicorn
Summary: nginx for static files and slow clients, gunicorn for Python.

The division of labour is simple: nginx talks to the slow internet and serves files; gunicorn runs a \
few Python workers that only ever talk to nginx.

```nginx
location / {
    proxy_pass http://127.0.0.1:8000;
}
```

Title: Moving from Mercurial to Git
Date: 2014-02-14
Tags: Git, Mercurial
Summary: Notes from converting a dozen repositories without losing history.

hg-fast-export did most of the work. Tags and branches came along; a few author names needed an authors map.

Title: Emacs or Sublime Text?
Date: 2013-10-08
Tags: Emacs, Sublime Text, tools
Summary: Both, depending on the day and the size of the project.

Emacs for long sessions and remote machines, Sublime Text for a quick look at a big tree.

Title: Django 1.5's custom user model
Date: 2013-03-02
Tags: Django, Python
Summary: The long-awaited configurable User, and what it means for reusable apps.

Point `AUTH_USER_MODEL` at your own model and refer to it with `get_user_model()`:

```python
from django.contrib.auth import get_user_model

User = get_user_model()
```

Title: Markdown everywhere
Date: 2012-08-21
Tags: Markdown, tools
Summary: Why every text box I own now speaks Markdown.

Plain text that reads well before it is rendered is the best kind of markup. *Emphasis*, **strong**, \
`code` and [links](https://daringfireball.net/projects/markdown/) cover nearly everything.

Title: Python's with statement for people in a hurry
Date: 2012-01-30
Tags: Python
Summary: Context managers in five lines.

```python
from contextlib import contextmanager

@contextmanager
def opened(path):
    f = open(path)
    try:
        yield f
    finally:
        f.close()
```

Title: FreeBSD jails for small sites
Date: 2011-07-04
Tags: FreeBSD, tools
Summary: One jail per site keeps each site's mess to itself.

Jails are cheap, quick to create, and make upgrades one site at a time painless.

Title: Review Board at work
Date: 2010-11-16
Tags: tools, engineering
Summary: Code review catches more than bugs.

Two pairs of eyes on every change spreads knowledge of the code around the team.

Title: Storing uploads on S3 from Django
Date: 2010-03-09
Tags: Django, S3
Summary: A storage backend and a bucket, and the web server never touches uploads again.

django-storages makes S3 a drop-in storage backend.

Title: Hello, Django 1.0
Date: 2008-09-04
Tags: Django, Python
Summary: Django 1.0 is out, and so, soon, is our book.

After years of trunk tracking, a stable API. Time to finish the book.
"""
)
