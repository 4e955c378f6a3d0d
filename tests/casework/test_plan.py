import pytest

from casework.models import HelpPlan, HelpPlanRevision
from casework.services import help_plan_save
from portal.appendonly import AppendOnlyError
from portal.audit.models import AccessLogEntry
from tests.courses import factories as cf
from tests.i18n import zh

pytestmark = pytest.mark.django_db


def test_caseworker_writes_and_changes_a_plan_and_history_keeps_who_and_what(world, login):
    person = world.supervisee
    course = cf.course_create(title="民法典与生活", unit=world.bureau)
    client = login(world.users["caseworker"])
    url = f"/casework/people/{person.pk}/plan/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"goals": "稳定就业", "courses": [course.pk],
                                 "review_on": "2026-12-31", "note": "首次制定"})
    assert response.status_code == 302
    plan = HelpPlan.objects.get(supervisee=person)
    assert plan.goals == "稳定就业" and list(plan.courses.all()) == [course]
    client.post(url, {"goals": "稳定就业，修复家庭关系", "courses": [course.pk],
                      "review_on": "2026-12-31", "note": "家访后调整"})
    revisions = list(HelpPlanRevision.objects.filter(supervisee=person).order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].snapshot["goals"] == "稳定就业"  # the old version is kept
    assert revisions[1].changed_fields == ["goals"]
    assert revisions[1].changed_by == world.users["caseworker"]
    page = client.get(f"/casework/people/{person.pk}/").content.decode()
    assert "修复家庭关系" in page and "家访后调整" in page and "民法典与生活" in page
    assert AccessLogEntry.objects.filter(supervisee=person, action="edit").exists()


def test_saving_an_unchanged_plan_writes_no_revision(world):
    person, cw = world.supervisee, world.users["caseworker"]
    help_plan_save(supervisee=person, changed_by=cw, goals="目标")
    __, revision = help_plan_save(supervisee=person, changed_by=cw, goals="目标 ")
    assert revision is None
    assert HelpPlanRevision.objects.count() == 1


def test_revisions_are_append_only(world):
    __, revision = help_plan_save(supervisee=world.supervisee,
                                  changed_by=world.users["caseworker"], goals="目标")
    with pytest.raises(AppendOnlyError):
        revision.save()
    with pytest.raises(AppendOnlyError):
        HelpPlanRevision.objects.all().delete()


def test_a_bad_plan_is_refused_with_a_message_and_nothing_saved(world, login):
    client = login(world.users["caseworker"])
    response = client.post(f"/casework/people/{world.supervisee.pk}/plan/",
                           {"goals": "x", "review_on": "2024-13-45", "courses": ["abc"]})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"review_on", "courses"}
    assert not HelpPlan.objects.exists()


def test_a_juvenile_course_cannot_be_planned_for_an_adult(world, login):
    course = cf.course_create(title="护苗课堂", unit=world.bureau, audience="juveniles")
    client = login(world.users["caseworker"])
    response = client.post(f"/casework/people/{world.supervisee.pk}/plan/",
                           {"courses": [course.pk]})
    assert "courses" in response.context["form"].errors
    assert not HelpPlan.objects.exists()


def test_caseworker_of_another_squad_gets_404_and_nothing_changes(world, login):
    client = login(world.users["other_caseworker"])
    url = f"/casework/people/{world.supervisee.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url + "plan/", {"goals": "x"}).status_code == 404
    assert not HelpPlan.objects.exists()


def test_planned_courses_come_first_in_recommendations(world, login):
    person = world.supervisee
    planned = cf.course_create(title="孝道课堂", unit=world.bureau, category_slug="culture")
    cf.course_create(title="反电诈", unit=world.bureau)
    client = login(person.user)
    section = client.get("/courses/").content.decode().split('id="rec-h"')[1]
    before = section.index("孝道课堂") < section.index("反电诈")
    help_plan_save(supervisee=person, changed_by=world.users["caseworker"], courses=[planned])
    section = client.get("/courses/").content.decode().split('id="rec-h"')[1]
    assert not before  # legal education comes first by category order…
    assert section.index("孝道课堂") < section.index("反电诈")  # …until the plan says so


def test_an_empty_plan_is_refused(world, login):
    response = login(world.users["caseworker"]).post(
        f"/casework/people/{world.supervisee.pk}/plan/", {"goals": "  "})
    assert response.status_code == 200
    assert zh("Write at least the goals of the plan.") in response.content.decode()
    assert not HelpPlan.objects.exists()


@pytest.mark.postgres
def test_database_refuses_raw_changes_to_revisions(world):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists only on PostgreSQL "
                    "(casework/migrations/0002); SQLite relies on the application")
    __, revision = help_plan_save(supervisee=world.supervisee,
                                  changed_by=world.users["caseworker"], goals="目标")
    table = HelpPlanRevision._meta.db_table
    with connection.cursor() as cursor:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(f"UPDATE {table} SET note = %s WHERE id = %s", ["x", revision.pk])
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [revision.pk])
    assert HelpPlanRevision.objects.get(pk=revision.pk).note == ""


def test_editing_a_plan_in_chinese_keeps_its_review_date(world, login):
    """The date picker gets an ISO value in the Chinese interface ("2026/12/31" would show
    an empty field, and saving the form as the browser sends it would drop the date)."""
    import re

    person = world.supervisee
    client = login(world.users["caseworker"])
    url = f"/casework/people/{person.pk}/plan/"
    client.post(url, {"goals": "稳定就业", "review_on": "2026-12-31", "note": "首次制定"})
    form = client.get(url).content.decode()
    assert 'lang="zh-CN"' in form
    field = re.search(r'<input type="date" name="review_on"[^>]*>', form).group(0)
    assert 'value="2026-12-31"' in field
    # Save again with what the browser would send back: the date stays.
    client.post(url, {"goals": "稳定就业，按时报到", "review_on": "2026-12-31", "note": "复核"})
    assert str(HelpPlan.objects.get(supervisee=person).review_on) == "2026-12-31"
