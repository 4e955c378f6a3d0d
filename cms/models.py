"""The public site: home, content, news and the partner directory.

Public pages describe the portal, its services and its partners. They never name a
person: no supervisee, no staff member, no partner's contact person (docs/domain.md rule 3).
"""

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.pagecache import PublicPageMixin

from . import selectors
from .blocks import BodyBlock
from .search import index_text

NEWS_PER_PAGE = 10
PARTNERS_PER_PAGE = 24


class PortalPageMixin(PublicPageMixin):
    """What every public page type shares: the Chinese bigram search field (see
    cms.search) built from `cjk_search_sources` (names of plain, rich-text or StreamField
    fields, or of methods returning text), and a one-line text for listings."""

    cjk_search_sources: tuple[str, ...] = ("title",)

    @property
    def listing_text(self) -> str:
        return (self.search_description or getattr(self, "summary", "")
                or getattr(self, "intro", ""))

    def search_cjk(self) -> str:
        parts = []
        for name in self.cjk_search_sources:
            value = getattr(self, name, None)
            if callable(value):
                value = value()
            try:
                field = self._meta.get_field(name)
            except FieldDoesNotExist:  # a method or property
                field = None
            if field is not None and hasattr(field, "get_searchable_content"):
                parts.extend(field.get_searchable_content(value))
            elif value:
                parts.append(str(value))
        return index_text(*parts)


def _cjk_field():
    return index.SearchField("search_cjk")


class HomePage(PortalPageMixin, Page):
    intro = models.CharField(_("intro"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), _cjk_field()]
    cjk_search_sources = ("title", "intro", "body")
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ContentPage", "cms.NewsIndexPage", "cms.PartnerDirectoryPage",
                     "courses.CourseIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = selectors.latest_news(request.user)
        context["news_index"] = (
            NewsIndexPage.objects.child_of(self).live().public().first()
        )
        context["sections"] = selectors.subpages_of(request.user, self).in_menu()
        return context


class ContentPage(PortalPageMixin, Page):
    """About the portal, guides, the privacy notice: text an editor keeps up to date."""

    intro = models.CharField(_("intro"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"),
                     index.SearchField("body"), _cjk_field()]
    cjk_search_sources = ("title", "intro", "body")
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = selectors.subpages_of(request.user, self)
        return context


class NewsIndexPage(PortalPageMixin, Page):
    intro = models.CharField(_("intro"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), _cjk_field()]
    cjk_search_sources = ("title", "intro")
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = selectors.news_for_index(request.user, self)
        context["news"] = Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("page"))
        return context


class NewsPage(PortalPageMixin, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.CharField(_("summary"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("summary"),
                      FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"),
                     index.SearchField("body"), index.FilterField("date"), _cjk_field()]
    cjk_search_sources = ("title", "summary", "body")
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news page")


class PartnerDirectoryPage(PortalPageMixin, Page):
    """Lists the partners (NGOs, counselling providers, enterprises, volunteer teams)
    with a filter by kind."""

    intro = models.CharField(_("intro"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), _cjk_field()]
    cjk_search_sources = ("title", "intro")
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PartnerPage"]
    max_count = 1

    class Meta:
        verbose_name = _("partner directory")

    def get_context(self, request, *args, **kwargs):
        from portal.organisations.models import Organisation

        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("kind", "")
        if kind not in Organisation.Kind.values:
            kind = ""
        partners = selectors.partners_for_directory(request.user, self, kind=kind)
        context.update(
            partners=Paginator(partners, PARTNERS_PER_PAGE).get_page(request.GET.get("page")),
            kinds=Organisation.Kind.choices,
            current_kind=kind,
        )
        return context


class PartnerPage(PortalPageMixin, Page):
    """A partner's public profile: what it offers and how to reach it. The contact shown
    is the organisation's phone and address, never a person's name."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="directory_page",
        verbose_name=_("organisation"),
    )
    services = RichTextField(_("services offered"), blank=True,
                             features=["bold", "italic", "ol", "ul", "link"])
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("organisation"), FieldPanel("services"),
                      FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("services"),
        index.SearchField("body"),
        index.RelatedFields("organisation", [index.SearchField("name"),
                                             index.SearchField("summary")]),
        _cjk_field(),
    ]
    cjk_search_sources = ("title", "organisation_text", "services", "body")
    parent_page_types = ["cms.PartnerDirectoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("partner page")

    def organisation_text(self) -> str:
        if not self.organisation_id:
            return ""
        organisation = self.organisation
        return f"{organisation.name} {organisation.summary}"

    def serve(self, request, *args, **kwargs):
        # A partner that no longer works with the unit leaves the public site at once,
        # before an editor gets round to unpublishing its page; editors still preview it.
        if not self.organisation.is_active and not getattr(request, "is_preview", False):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["directory"] = self.get_parent()
        return context
