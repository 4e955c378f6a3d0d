from django.db import migrations

# The seed counties' categories; editors rename, add and reorder them in the admin.
CATEGORIES = [
    ("legal", "法治教育", "民法典、反电信诈骗、拒绝赌博、酒驾危害等法律常识", 10),
    ("culture", "传统文化", "孔子学堂：仁爱、孝道、诚信", 20),
    ("mental-health", "心理健康", "由心理咨询师带领的情绪、压力与家庭关系课程", 30),
    ("skills", "职业技能", "电商直播、种植养殖等就业技能培训", 40),
    ("cautionary", "警示教育", "以案释法的警示教育案例", 50),
]

TRIGGERS = """
CREATE OR REPLACE FUNCTION courses_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused (add a correction instead)',
        TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER courses_studyhoursentry_append_only
    BEFORE UPDATE OR DELETE ON courses_studyhoursentry
    FOR EACH ROW EXECUTE FUNCTION courses_refuse_change();
CREATE TRIGGER courses_attendance_append_only
    BEFORE UPDATE OR DELETE ON courses_attendance
    FOR EACH ROW EXECUTE FUNCTION courses_refuse_change();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS courses_studyhoursentry_append_only ON courses_studyhoursentry;
DROP TRIGGER IF EXISTS courses_attendance_append_only ON courses_attendance;
"""


def forwards(apps, schema_editor):
    CourseCategory = apps.get_model("courses", "CourseCategory")
    for slug, name, description, order in CATEGORIES:
        CourseCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description,
                                 "sort_order": order})

    # Editors and moderators keep the category list.
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="courses",
                                                        model="coursecategory")
    perms = []
    for action in ("add", "change", "delete", "view"):
        perm, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_coursecategory",
            defaults={"name": f"Can {action} course category"})
        perms.append(perm)
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*perms)

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS, params=None)


class Migration(migrations.Migration):
    """Seed categories; let editors manage them; and on PostgreSQL make the study-hours
    ledger and attendance refuse UPDATE and DELETE in the database itself."""

    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
