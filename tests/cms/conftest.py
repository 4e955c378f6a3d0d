import datetime

import pytest
from wagtail.rich_text import RichText

from cms.models import HomePage, NewsIndexPage, NewsPage, PartnerDirectoryPage, PartnerPage
from portal.organisations.models import Organisation
from tests import factories as f


@pytest.fixture
def home(db):
    return HomePage.objects.get()


@pytest.fixture
def news_index(home):
    page = NewsIndexPage(title="新闻动态", slug="news", intro="工作动态", show_in_menus=True)
    home.add_child(instance=page)
    return page


@pytest.fixture
def add_news(news_index):
    """add_news(title, body=..., days_ago=..., live=True) publishes a news page."""

    def _add(title, *, body="<p>正文</p>", summary="", days_ago=0, live=True, slug=None):
        page = NewsPage(
            title=title, slug=slug or f"news-{NewsPage.objects.count() + 1}",
            summary=summary, date=datetime.date.today() - datetime.timedelta(days=days_ago),
            body=[("paragraph", RichText(body))], live=live,
        )
        news_index.add_child(instance=page)
        if live:
            page.save_revision().publish()
        else:
            page.save_revision()
        return page

    return _add


@pytest.fixture
def directory(home):
    page = PartnerDirectoryPage(title="合作伙伴", slug="partners", intro="合作单位")
    home.add_child(instance=page)
    return page


@pytest.fixture
def add_partner(directory):
    def _add(name, kind=Organisation.Kind.NGO, **fields):
        organisation = f.OrganisationFactory(name=name, kind=kind, **fields)
        page = PartnerPage(title=name, slug=f"partner-{organisation.pk}",
                           organisation=organisation, services="<ul><li>服务</li></ul>")
        directory.add_child(instance=page)
        page.save_revision().publish()
        return page

    return _add
