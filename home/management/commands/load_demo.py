"""Build the seed's site on an empty database; do nothing to a site that already has content."""

import datetime
import io
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Page, Site

from blog.comments.models import MODERATORS_GROUP
from blog.models import BlogIndexPage, BlogPage
from home import demo_content as demo
from home.models import AboutPage, BookBuyLink, BookPage, ColophonPage, SidebarSettings, StuffIUse

# (username, what they do, their group: None for the administrator)
DEMO_USERS = [("admin", "Admin", None), ("editor", "Editor", "Editors"), ("moderator", "Moderator", MODERATORS_GROUP)]


def password_file(username):
    return settings.DATA_DIR / f"{username}-password.txt"


def placeholder_image(title, size, text):
    """A plain picture with a few letters on it, so the demo needs no image files."""
    picture = PILImage.new("RGB", size, (52, 73, 94))
    ImageDraw.Draw(picture).text((size[0] // 4, size[1] // 2 - 20), text, fill=(255, 255, 255), font_size=40)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png"))


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision(log_action=True).publish()
    return page


def publish_sidebar_page(parent, page_class, title, slug, blurb, **fields):
    """About, Book or Colophon: in the demo each page's body repeats its sidebar blurb."""
    return publish(parent, page_class(title=title, slug=slug, blurb=blurb, body=blurb, **fields))


class Command(BaseCommand):
    help = "Load the E-Scribe demo content (the seed front page) into an empty site. Safe to run again."

    def handle(self, *args, **options):
        if BlogIndexPage.objects.exists():
            self.stdout.write("Demo content: the site already has a blog; left as it is.")
        else:
            with transaction.atomic():
                self.build_site()
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        self.ensure_users()

    def build_site(self):
        site = Site.objects.get(is_default_site=True)
        welcome = site.root_page
        blog = BlogIndexPage(title=settings.WAGTAIL_SITE_NAME, slug="e-scribe", author_name=demo.AUTHOR)
        Page.get_first_root_node().add_child(instance=blog)
        blog.save_revision().publish()
        site.root_page, site.site_name = blog, blog.title
        site.save()
        if welcome.specific_class is Page:  # Wagtail's "Welcome to your new Wagtail site!"
            welcome.delete()

        portrait = placeholder_image("PBX", (240, 240), "PBX")
        publish_sidebar_page(blog, AboutPage, "About Me", "about", demo.ABOUT_BLURB, portrait=portrait)
        book = {**demo.BOOK, "buy_links": [BookBuyLink(label=label, url=url) for label, url in demo.BOOK["buy_links"]]}
        cover = placeholder_image("Book cover", (240, 320), "Django")
        publish_sidebar_page(blog, BookPage, "Book", "book", demo.BOOK_BLURB, cover=cover, **book)
        publish_sidebar_page(blog, ColophonPage, "Colophon", "colophon", demo.COLOPHON_BLURB)

        for post in [*reversed(demo.EARLIER_POSTS), demo.SEED_POST]:
            page = BlogPage(
                title=post["title"],
                legacy_id=post.get("legacy_id"),
                slug=post.get("slug", ""),
                date=post["date"],
                summary=post["summary"],
                body=post["body"],
                first_published_at=timezone.make_aware(datetime.datetime.combine(post["date"], datetime.time(9))),
            )
            page.tags.add(*post["tags"])
            publish(blog, page)

        sidebar = SidebarSettings.for_site(site)  # the Spam Report's defaults are the seed's numbers
        sidebar.stuff_i_use = [StuffIUse(name=name) for name in demo.STUFF_I_USE]
        sidebar.save()

    def ensure_users(self):
        """One demo user of each kind, each with a random password kept outside the repository."""
        for username, role, group in DEMO_USERS:
            path = password_file(username)
            users = get_user_model().objects
            if not users.filter(username=username).exists():
                password = secrets.token_urlsafe(12)
                user = users.create_user(
                    username, f"{username}@example.com", password, is_superuser=group is None, is_staff=group is None
                )
                if group:
                    user.groups.add(Group.objects.get(name=group))
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(password + "\n")
                path.chmod(0o600)
            if path.exists():
                self.stdout.write(f"{role:>10} login: {username} / {path.read_text().strip()}")
