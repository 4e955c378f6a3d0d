"""Editors of a partner organisation edit their organisation's courses and nobody else's
(Wagtail page permissions on the organisation's folder)."""

import pytest
from django.core.exceptions import ValidationError

from courses import services
from courses.models import CoursePage
from tests import factories as f
from tests.courses import factories as cf


@pytest.fixture
def partner_editor(world):
    cf.course_index()
    user = world.users["ngo"]
    services.partner_course_editor_add(organisation=world.ngo, user=user)
    return user


def test_partner_editor_edits_own_courses_only(world, partner_editor, login):
    own = cf.course_create(organisation=world.ngo, title="情绪管理")
    bureau = cf.course_create(unit=world.bureau, title="民法典")
    other_org = f.OrganisationFactory(name="另一家社工机构")
    theirs = cf.course_create(organisation=other_org, title="别人的课")
    client = login(partner_editor)
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{bureau.pk}/edit/").status_code in (302, 403)
    assert client.get(f"/admin/pages/{theirs.pk}/edit/").status_code in (302, 403)
    folder = cf.provider_folder(world.ngo)
    assert client.get(f"/admin/pages/add/courses/coursepage/{folder.pk}/").status_code == 200
    index = cf.course_index()
    assert client.get(f"/admin/pages/add/courses/coursepage/{index.pk}/").status_code in (
        302, 403)


def test_partner_editor_cannot_publish(world, partner_editor):
    from wagtail.models import Page

    own = cf.course_create(organisation=world.ngo)
    perms = Page.objects.get(pk=own.pk).permissions_for_user(partner_editor)
    assert perms.can_edit() and not perms.can_publish()


def test_only_the_organisations_staff_can_be_made_its_editors(world):
    cf.course_index()
    with pytest.raises(ValueError):
        services.partner_course_editor_add(organisation=world.ngo,
                                           user=world.users["enterprise"])


def test_setup_is_idempotent(world):
    cf.course_index()
    first = services.partner_course_editors_setup(organisation=world.ngo)
    second = services.partner_course_editors_setup(organisation=world.ngo)
    assert first == second


def test_a_course_in_a_partner_folder_belongs_to_that_partner(world):
    course = cf.course_create(organisation=world.ngo)
    course.provider_organisation = world.enterprise
    course.provider_unit = world.bureau
    course.full_clean()
    assert (course.provider_organisation, course.provider_unit) == (world.ngo, None)


def test_a_course_names_exactly_one_provider(world):
    index = cf.course_index()
    course = CoursePage(title="无主课程", slug="no-provider", category=cf.category(),
                        summary="x")
    with pytest.raises(ValidationError):
        index.add_child(instance=course)
    both = CoursePage(title="两个主办", slug="two-providers", category=cf.category(),
                      summary="x", provider_unit=world.bureau,
                      provider_organisation=world.ngo)
    with pytest.raises(ValidationError):
        index.add_child(instance=both)


def test_a_course_with_learners_is_not_deleted(world, login):
    course = cf.course_create(unit=world.bureau)
    services.enrolment_create(supervisee=world.supervisee, course=course)
    client = login(world.users["superuser"])
    response = client.post(f"/admin/pages/{course.pk}/delete/")
    assert response.status_code == 302
    assert CoursePage.objects.filter(pk=course.pk).exists()


def test_bulk_delete_in_the_explorer_is_guarded_too(world, login):
    """Wagtail's bulk delete fires before_bulk_action, not before_delete_page: the guard
    must hold there as well, and then nothing of the selection is deleted."""
    from django.urls import reverse

    taken = cf.course_create(unit=world.bureau, title="有人学过的课")
    services.enrolment_create(supervisee=world.supervisee, course=taken)
    untaken = cf.course_create(unit=world.bureau, title="没人学过的课")
    client = login(world.users["superuser"])
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    response = client.post(f"{url}?id={untaken.pk}&id={taken.pk}")
    assert response.status_code == 302
    assert CoursePage.objects.filter(pk__in=[taken.pk, untaken.pk]).count() == 2
    # A selection without learners' records is deleted as usual.
    response = client.post(f"{url}?id={untaken.pk}")
    assert response.status_code == 302
    assert not CoursePage.objects.filter(pk=untaken.pk).exists()
    assert CoursePage.objects.filter(pk=taken.pk).exists()
