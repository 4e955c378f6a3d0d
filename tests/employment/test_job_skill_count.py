"""A job's number of skills wanted (Job.skill_count) is kept by the database itself
(employment/migrations/0003_matches_job_skill_count.py), whoever writes the skills, and
no write of the job from the application changes it."""

import pytest
from django.db import connection

from employment.models import Job


def _count(job) -> int:
    return Job.objects.filter(pk=job.pk).values_list("skill_count", flat=True).get()


def _counts_are_the_skills():
    for job in Job.objects.all():
        assert _count(job) == job.skills.count(), job


def test_the_count_follows_the_skills_however_they_are_written(emp):
    job = emp.job(skills=[emp.driving, emp.warehouse])
    other = emp.job(skills=[emp.cooking])
    bare = emp.job()
    assert (_count(job), _count(other), _count(bare)) == (2, 1, 0)
    job.skills.add(emp.cooking)
    assert _count(job) == 3
    job.skills.remove(emp.driving, emp.warehouse)
    assert _count(job) == 1
    job.skills.set([emp.driving, emp.warehouse, emp.cooking])
    assert _count(job) == 3
    job.skills.clear()
    assert _count(job) == 0
    # Many jobs' skills in one statement, as a bulk import writes them.
    Through = Job.skills.through
    Through.objects.bulk_create([Through(job_id=bare.pk, skill_id=emp.driving.pk),
                                 Through(job_id=bare.pk, skill_id=emp.cooking.pk),
                                 Through(job_id=job.pk, skill_id=emp.warehouse.pk)])
    assert (_count(job), _count(other), _count(bare)) == (1, 1, 2)
    Through.objects.filter(skill_id__in=[emp.driving.pk, emp.warehouse.pk]).delete()
    assert (_count(job), _count(other), _count(bare)) == (0, 1, 1)
    _counts_are_the_skills()


def test_the_application_never_writes_the_count(emp):
    job = emp.job(skills=[emp.driving])
    stale = Job.objects.get(pk=job.pk)  # read with one skill
    job.skills.add(emp.cooking)
    stale.title = "改名"
    stale.save()  # writes every column, the count as it was read
    assert _count(job) == 2
    Job.objects.filter(pk=job.pk).update(skill_count=40)
    assert _count(job) == 2
    created = Job.objects.create(organisation=emp.enterprise, title="新岗位",
                                 industry=emp.logistics, district=emp.home, shift="day",
                                 work_days="12345", hours_per_week=40, skill_count=7)
    assert _count(created) == 0
    created.skills.set([emp.warehouse, emp.driving])
    created.hours_per_week = 20
    created.save()
    assert _count(created) == 2
    _counts_are_the_skills()


def test_a_job_with_skills_can_be_deleted(emp):
    job = emp.job(skills=[emp.driving, emp.cooking])
    job.delete()
    assert not Job.objects.filter(pk=job.pk).exists()
    _counts_are_the_skills()


@pytest.mark.postgres
def test_the_count_is_kept_by_triggers_on_postgresql(emp):
    if connection.vendor != "postgresql":
        pytest.skip("the statement triggers are PostgreSQL's (SQLite's are per row)")
    job = emp.job(skills=[emp.driving])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO employment_job_skills (job_id, skill_id) VALUES "
                       "(%s, %s), (%s, %s)", [job.pk, emp.cooking.pk, job.pk, emp.warehouse.pk])
        cursor.execute("UPDATE employment_job SET skill_count = 0 WHERE id = %s", [job.pk])
    assert _count(job) == 3
