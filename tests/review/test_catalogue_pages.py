"""The catalogue pages: the agency's page with its edit form and publish button, and the public
pages, which show what was published and nothing else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.registry import services as registry
from sanxiang.review.models import CataloguePublication, MajorDecisionCatalogue
from sanxiang.review.services import catalogue_publish, catalogue_update
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return agency_make(name="乌审旗市场监督管理局")


@pytest.fixture
def head(agency):
    return user_make(role=Role.AGENCY_HEAD, agency=agency)


def food_matter(agency):
    return registry.matter_create(
        actor=None, agency=agency, code="SJ-CF-0012", name="对未取得食品生产经营许可从事食品生产经营活动的处罚",
        kind="penalty", legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第一百二十二条"}],
    )


def main(response) -> str:
    """The page's content, without the layout (whose forms carry a fresh CSRF token each time)."""
    page = response.content.decode()
    return page[page.index("<main"):page.index("</main>")]


def published(agency, head):
    catalogue_update(actor=head, agency=agency, kinds=["revoke_permit", "close"], matters=[food_matter(agency)],
                     fine_natural_person_fen=1_000_000, explanation="本目录自发布之日起施行。")
    return catalogue_publish(actor=head, agency=agency)


# --- the agency's page -------------------------------------------------------------------------


def test_the_head_edits_in_yuan_and_publishes(client, agency, head):
    matter = food_matter(agency)
    client.force_login(head)
    page = client.get(reverse("review:catalogue_detail", args=[agency.pk])).content.decode()
    assert "尚未发布目录清单" in page and 'data-testid="publish"' in page
    assert "超过10000元" in page  # the defaults are shown until the catalogue is saved
    response = client.post(reverse("review:catalogue_edit", args=[agency.pk]), {
        "kinds": ["revoke_permit"], "fine_natural_person_yuan": "5000", "fine_organization_yuan": "50000.50",
        "amount_inclusive": "on", "discussion_for": ["complex", "major"], "matters": [str(matter.pk)],
        "explanation": "试行",
    })
    assert response.status_code == 302
    catalogue = MajorDecisionCatalogue.objects.get(agency=agency)
    assert (catalogue.fine_natural_person_fen, catalogue.fine_organization_fen) == (500_000, 5_000_050)
    assert catalogue.amount_inclusive and not catalogue.discretion_deviation
    assert list(catalogue.matters.all()) == [matter]
    page = client.get(reverse("review:catalogue_detail", args=[agency.pk])).content.decode()
    assert "5000元以上（含本数）" in page and "SJ-CF-0012" in page
    # A GET does not publish; the button's POST does.
    assert client.get(reverse("review:catalogue_publish", args=[agency.pk])).status_code == 302
    assert not CataloguePublication.objects.exists()
    client.post(reverse("review:catalogue_publish", args=[agency.pk]))
    assert CataloguePublication.objects.get().version == 1
    page = client.get(reverse("review:catalogue_detail", args=[agency.pk])).content.decode()
    assert "现行：第1版" in page and 'data-testid="publish"' not in page and "有未发布的修改" not in page
    # The form shows the amounts in 元 as saved; a later change waits for the next version.
    form = client.get(reverse("review:catalogue_edit", args=[agency.pk])).content.decode()
    assert 'value="5000.00"' in form and 'value="50000.50"' in form
    catalogue_update(actor=head, agency=agency, explanation="修订")
    page = client.get(reverse("review:catalogue_detail", args=[agency.pk])).content.decode()
    assert "有未发布的修改" in page and "发布为第2版" in page


def test_a_refused_edit_shows_every_reason(client, agency, head):
    client.force_login(head)
    response = client.post(reverse("review:catalogue_edit", args=[agency.pk]), {
        "fine_natural_person_yuan": "0", "fine_organization_yuan": "-1",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "对公民的罚没数额标准应当大于0元" in page and "对法人或者其他组织的罚没数额标准应当大于0元" in page
    assert not MajorDecisionCatalogue.objects.exists()


def test_an_officer_reads_the_catalogue_but_cannot_change_it(client, agency):
    officer = user_make(role=Role.OFFICER, agency=agency)
    client.force_login(officer)
    page = client.get(reverse("review:catalogue_detail", args=[agency.pk])).content.decode()
    assert "修改目录清单" not in page and 'data-testid="publish"' not in page
    assert client.get(reverse("review:catalogue_edit", args=[agency.pk])).status_code == 403
    assert client.post(reverse("review:catalogue_publish", args=[agency.pk])).status_code == 403
    assert not CataloguePublication.objects.exists()


def test_agency_users_land_on_their_own_catalogue_and_supervisors_on_the_list(client, agency, head):
    client.force_login(head)
    response = client.get(reverse("review:catalogue_index"))
    assert response["Location"] == reverse("review:catalogue_detail", args=[agency.pk])
    published(agency, head)
    client.force_login(user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True)))
    page = client.get(reverse("review:catalogue_index")).content.decode()
    assert "乌审旗市场监督管理局" in page and "第1版" in page and "未发布" in page


# --- the public pages ---------------------------------------------------------------------------


def test_the_public_list_shows_agencies_with_a_published_catalogue(client, agency, head):
    agency_make(name="乌审旗林业和草原局")  # nothing published
    published(agency, head)
    page = client.get(reverse("catalogues:list")).content.decode()
    assert "乌审旗市场监督管理局" in page and "林业和草原局" not in page


def test_the_public_page_shows_the_publication_not_the_working_catalogue(client, agency, head):
    publication = published(agency, head)
    url = reverse("catalogues:detail", args=[agency.pk])
    page = main(client.get(url))
    assert "乌审旗市场监督管理局重大执法决定法制审核目录清单" in page
    assert f"第1版，{publication.content['published_on']}发布" in page
    assert "拟作出吊销许可证件、责令关闭行政处罚决定的" in page
    assert "超过10000元" in page and "超过100000元" in page
    assert "SJ-CF-0012" in page and "对未取得食品生产经营许可从事食品生产经营活动的处罚" in page
    assert "《中华人民共和国食品安全法》第一百二十二条" in page
    assert "本目录自发布之日起施行。" in page
    assert "《中华人民共和国行政处罚法》第五十八条" in page
    # Edited, not published: the public page does not change.
    catalogue_update(actor=head, agency=agency, fine_natural_person_fen=300_000, matters=[], explanation="修订稿")
    assert main(client.get(url)) == page
    # Published: the new version shows, and the old one stays readable.
    catalogue_publish(actor=head, agency=agency)
    page = client.get(url).content.decode()
    assert "超过3000元" in page and "修订稿" in page and "SJ-CF-0012" not in page
    old = client.get(reverse("catalogues:version", args=[agency.pk, 1])).content.decode()
    assert "超过10000元" in old and "此版本已被新版本代替" in old


def test_an_agency_that_never_published_has_no_public_catalogue(client, agency, head):
    catalogue_update(actor=head, agency=agency, explanation="草稿")
    assert client.get(reverse("catalogues:detail", args=[agency.pk])).status_code == 404
    assert client.get(reverse("catalogues:version", args=[agency.pk, 1])).status_code == 404


def test_the_public_pages_read_the_public_read_model_only(client, agency, head):
    """The public pages read publication's public table of published versions (issue 11: no
    longer the review app's own table), never the working catalogue nor any internal table."""
    published(agency, head)
    for url in (reverse("catalogues:list"), reverse("catalogues:detail", args=[agency.pk]),
                reverse("catalogues:version", args=[agency.pk, 1])):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        tables = [q["sql"] for q in queries.captured_queries]
        assert tables, url
        assert all('"publication_publiccatalogue"' in sql for sql in tables), (url, tables)
        assert not [sql for sql in tables if any(n in sql for n in ("registry_", "cases_", "review_"))]
