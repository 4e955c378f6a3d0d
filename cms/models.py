from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


class HomePage(Page):
    intro = models.CharField(_("intro"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ContentPage", "cms.NewsIndexPage", "cms.PartnerDirectoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = (
            NewsPage.objects.live().public().defer_streamfields()
            .order_by("-date", "-pk")[:3]
        )
        context["sections"] = self.get_children().live().in_menu().specific()
        return context


class ContentPage(Page):
    intro = models.CharField(_("intro"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")


class NewsIndexPage(Page):
    intro = models.CharField(_("intro"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        news = (
            NewsPage.objects.child_of(self).live().public().defer_streamfields()
            .order_by("-date", "-pk")
        )
        context["news"] = Paginator(news, 10).get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.CharField(_("summary"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("summary"),
                      FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"),
                     index.SearchField("body"), index.FilterField("date")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news page")


class PartnerDirectoryPage(Page):
    intro = models.CharField(_("intro"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PartnerPage"]
    max_count = 1

    class Meta:
        verbose_name = _("partner directory")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        partners = (
            PartnerPage.objects.child_of(self).live().public()
            .select_related("organisation", "organisation__district").defer_streamfields()
        )
        kind = request.GET.get("kind", "")
        from portal.organisations.models import Organisation

        if kind in Organisation.Kind.values:
            partners = partners.filter(organisation__kind=kind)
        context.update(partners=partners.order_by("organisation__kind", "title"),
                       kinds=Organisation.Kind.choices, current_kind=kind)
        return context


class PartnerPage(Page):
    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="directory_page",
        verbose_name=_("organisation"),
    )
    services = RichTextField(_("services offered"), blank=True,
                             features=["bold", "italic", "ol", "ul", "link"])
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("organisation"), FieldPanel("services"),
                      FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("services"),
                     index.SearchField("body")]
    parent_page_types = ["cms.PartnerDirectoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("partner page")
