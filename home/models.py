"""The site's own pages (About, Book, Colophon) and the settings behind the sidebar."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtailmarkdown.fields import MarkdownField

from blog import markdown
from machinery.privacy import ViewRestrictionsMixin


def optional_image(help_text):
    """A picture from Wagtail's image library; deleting the picture leaves the page without one."""
    return models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text=help_text
    )


class SidebarPage(ViewRestrictionsMixin, Page):
    """A page the sidebar summarises with its blurb; there is one of each kind."""

    blurb = models.TextField(
        max_length=600,
        help_text="A few sentences shown in the sidebar of every page, linking here. "
        "You may use Markdown links and emphasis.",
    )
    body = MarkdownField(blank=True, help_text="The full page, in Markdown.")

    search_fields = Page.search_fields + [index.SearchField("blurb"), index.SearchField("body")]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []
    max_count = 1
    markdown_fields = ["blurb", "body"]  # the blurb is Markdown too
    base_form_class = markdown.CheckedReferencesForm

    class Meta:
        abstract = True


class AboutPage(SidebarPage):
    portrait = optional_image("A photo or picture of you, shown small in the sidebar and larger on the page.")

    content_panels = Page.content_panels + [FieldPanel("portrait"), FieldPanel("blurb"), FieldPanel("body")]

    class Meta:
        verbose_name = "About page"


class BookPage(SidebarPage):
    cover = optional_image("The book's cover.")
    book_title = models.CharField(
        max_length=200, help_text="The book's title as printed on the cover (the page title above is what menus show)."
    )
    authors = models.CharField(max_length=300, help_text="For example: “Jeff Forcier, Paul Bissex, Wesley Chun”.")
    publisher = models.CharField(max_length=200, blank=True, help_text="For example “Addison-Wesley”.")
    published_year = models.PositiveSmallIntegerField(
        "Year published",
        null=True,
        blank=True,
        validators=[MinValueValidator(1450), MaxValueValidator(2100)],
        help_text="The year of the edition you link to, for example 2008.",
    )
    isbn = models.CharField(
        "ISBN", max_length=20, blank=True, help_text="The 10- or 13-digit number from the back cover, if wanted."
    )

    content_panels = Page.content_panels + [
        FieldPanel("blurb"),
        MultiFieldPanel(
            [
                FieldPanel("book_title"),
                FieldPanel("authors"),
                FieldPanel("publisher"),
                FieldPanel("published_year"),
                FieldPanel("isbn"),
                FieldPanel("cover"),
            ],
            heading="The book",
        ),
        FieldPanel("body"),
        InlinePanel("buy_links", heading="Where to buy it", label="Shop"),
    ]

    class Meta:
        verbose_name = "Book page"


class BookBuyLink(Orderable):
    page = ParentalKey(BookPage, on_delete=models.CASCADE, related_name="buy_links")
    label = models.CharField(max_length=80, help_text="The shop's name, for example “InformIT”.")
    url = models.URLField("Address", help_text="The book's page at that shop.")

    panels = [FieldPanel("label"), FieldPanel("url")]


class ColophonPage(SidebarPage):
    content_panels = Page.content_panels + [FieldPanel("blurb"), FieldPanel("body")]

    class Meta:
        verbose_name = "Colophon page"


@register_setting(icon="list-ul")
class SidebarSettings(BaseSiteSetting, ClusterableModel):
    """What the editor keeps in the sidebar besides the pages' blurbs."""

    spam_baseline = models.PositiveIntegerField(
        "Spam killed before this site",
        default=236325,
        help_text="How many spam comments were stopped before this site started counting. "
        "The sidebar's Spam Report adds every spam caught here to this number.",
    )
    spam_since_year = models.PositiveSmallIntegerField(
        "Counting spam since",
        default=2008,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="The year shown in “… killed since 2008”.",
    )

    panels = [
        InlinePanel(
            "stuff_i_use",
            heading="Stuff I Use",
            label="Tool",
            help_text="Listed in this order in the sidebar. A tool links to its tag page "
            "when a published post has a tag of the same name.",
        ),
        MultiFieldPanel([FieldPanel("spam_baseline"), FieldPanel("spam_since_year")], heading="Spam Report"),
    ]

    class Meta:
        verbose_name = "Sidebar"


class StuffIUse(Orderable):
    settings = ParentalKey(SidebarSettings, on_delete=models.CASCADE, related_name="stuff_i_use")
    name = models.CharField(max_length=60, help_text="For example “Django” or “Sublime Text”.")

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = "tool"

    def __str__(self):
        return self.name


@register_setting(icon="image")
class SharingSettings(BaseSiteSetting):
    """How the site looks when a page of it is shared: the picture link previews show."""

    default_image = optional_image(
        "The picture social sites and chat apps show beside a link to this site, for every page without one of its "
        "own (a post's “Post image”). Cropped to 1200 × 630 pixels around its focal point: choose a wide picture."
    )

    panels = [FieldPanel("default_image")]

    class Meta:
        verbose_name = "Sharing"
