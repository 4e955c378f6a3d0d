"""The pages: what each role sees and may do, refusals with a clear message that change
nothing, what enterprises never see, and list pages whose query count does not grow."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from employment import services
from employment.models import Application, ApplicationStatus, FollowUp, Job, JobProfile
from portal.audit.models import AccessLogEntry
from portal.notifications.models import Notification
from portal.people.models import Consent


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the person -------------------------------------------------------------------------------


def test_the_person_sees_their_matches_with_reasons_but_never_the_excluded(emp, login):
    person = emp.world.supervisee
    emp.prohibit(person, emp.bar)
    emp.job(title="快递分拣员", skills=[emp.warehouse])
    emp.job(title="酒吧服务员", venue_type=emp.bar)
    emp.job(title="外县司机", district=emp.away)
    emp.training(programme="叉车培训")
    client = login(person.user)
    html = client.get(reverse("employment:matches")).content.decode()
    assert "快递分拣员" in html and "叉车培训" in html
    assert "酒吧服务员" not in html and "外县司机" not in html
    assert "emp-reason" in html  # each match says why
    assert "酒吧" not in html  # nor why anything was excluded


def test_an_excluded_job_page_is_not_found_for_the_person_and_a_crafted_apply_too(emp, login):
    person = emp.world.supervisee
    emp.ban(person, emp.finance)
    job = emp.job(title="贷款客服", industry=emp.finance)
    client = login(person.user)
    assert client.get(reverse("employment:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("employment:apply", args=[job.pk])).status_code == 404
    assert not Application.objects.exists()
    # staff see the job itself
    assert login(emp.world.users["caseworker"]).get(
        reverse("employment:job", args=[job.pk])).status_code == 200


def test_applying_on_the_page_then_twice_and_to_a_closed_job(emp, login):
    job = emp.job()
    client = login(emp.world.supervisee.user)
    response = client.post(reverse("employment:apply", args=[job.pk]), {"message": "你好"},
                           follow=True)
    assert any(messages_of(response))
    assert Application.objects.get().message == "你好"
    response = client.post(reverse("employment:apply", args=[job.pk]), follow=True)
    assert response.status_code == 200
    assert Application.objects.count() == 1
    assert any(messages_of(response))
    closed = emp.job(title="已关闭", status=Job.Status.CLOSED)
    response = client.post(reverse("employment:apply", args=[closed.pk]), follow=True)
    assert response.status_code == 200 and Application.objects.count() == 1
    assert any(messages_of(response))


def test_withdrawing_on_the_page_and_someone_elses_is_not_found(emp, login):
    application = services.application_create(supervisee=emp.world.supervisee,
                                              job_id=emp.job().pk)
    url = reverse("employment:withdraw", args=[application.pk])
    assert login(emp.world.other_supervisee.user).post(url).status_code == 404
    assert login(emp.world.supervisee.user).post(url).status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_the_profile_records_consent_and_taking_it_back(emp, login):
    person = emp.world.supervisee
    client = login(person.user)
    url = reverse("employment:profile")
    assert client.get(url).status_code == 200
    data = {"skills": [emp.driving.pk], "work_history": "开过货车", "preferred_districts":
            [emp.home.pk], "preferred_shifts": ["day"], "max_hours_per_week": "40",
            "visible_to_employers": "on"}
    assert client.post(url, data).status_code == 302
    profile = JobProfile.objects.get(supervisee=person)
    assert list(profile.skills.all()) == [emp.driving]
    assert Consent.objects.get(supervisee=person).granted is True
    data.pop("visible_to_employers")
    client.post(url, data)
    decisions = list(Consent.objects.filter(supervisee=person).order_by("recorded_at", "pk")
                     .values_list("granted", flat=True))
    assert decisions == [True, False]
    bad = client.post(url, {**data, "max_hours_per_week": "500", "preferred_shifts": ["moon"]})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_the_person_agrees_to_a_recommendation_on_their_page(emp, login):
    person = emp.world.supervisee
    application = services.application_recommend(
        actor=emp.world.users["caseworker"], supervisee=person, job_id=emp.job().pk)
    client = login(person.user)
    url = reverse("employment:answer", args=[application.pk])
    assert url in client.get(reverse("employment:my_applications")).content.decode()
    response = client.post(url, {"decision": "maybe"}, follow=True)
    assert any(messages_of(response))
    application.refresh_from_db()
    assert application.status == "recommended"
    client.post(url, {"decision": "agree"})
    application.refresh_from_db()
    assert application.status == "applied" and application.shared_with == emp.enterprise


# --- staff -------------------------------------------------------------------------------------


def test_the_caseworker_sees_matches_and_why_jobs_are_excluded_and_the_read_is_logged(
        emp, login):
    person = emp.world.supervisee
    emp.ban(person, emp.finance)
    emp.job(title="贷款客服", industry=emp.finance)
    emp.job(title="外县司机", district=emp.away)
    emp.job(title="快递分拣员")
    client = login(emp.world.users["caseworker"])
    html = client.get(reverse("employment:person", args=[person.pk])).content.decode()
    assert "快递分拣员" in html and "贷款客服" in html and "外县司机" in html
    assert "金融" in html and "邻县" in html  # the reasons
    assert AccessLogEntry.objects.filter(actor=emp.world.users["caseworker"],
                                         supervisee=person).exists()
    assert login(emp.world.users["other_caseworker"]).get(
        reverse("employment:person", args=[person.pk])).status_code == 404


def test_the_caseworker_recommends_and_sets_reporting_duties(emp, login):
    person = emp.world.supervisee
    job = emp.job()
    client = login(emp.world.users["caseworker"])
    client.post(reverse("employment:recommend", args=[person.pk]),
                {"opening": f"job:{job.pk}", "note": "试试"})
    assert Application.objects.get().status == "recommended"
    response = client.post(reverse("employment:recommend", args=[person.pk]),
                           {"opening": f"job:{job.pk}"}, follow=True)
    assert Application.objects.count() == 1 and any(messages_of(response))
    response = client.post(reverse("employment:reporting", args=[person.pk]),
                           {"weekday": "2", "period": ""}, follow=True)
    assert any(messages_of(response)) and not JobProfile.objects.filter(
        reporting_weekday=2).exists()
    client.post(reverse("employment:reporting", args=[person.pk]),
                {"weekday": "2", "period": "morning"})
    assert JobProfile.objects.get(supervisee=person).reporting_weekday == 2
    assert login(emp.world.users["other_caseworker"]).post(
        reverse("employment:reporting", args=[person.pk]),
        {"weekday": "3", "period": "morning"}).status_code == 404


def test_follow_up_on_the_page(emp, login):
    application = services.application_create(supervisee=emp.world.supervisee,
                                              job_id=emp.job().pk)
    services.application_status_set(
        actor=emp.staff, application_id=application.pk, status="hired",
        started_on=timezone.localdate() - datetime.timedelta(days=31))
    day30 = FollowUp.objects.get(day=30)
    client = login(emp.world.users["caseworker"])
    html = client.get(reverse("employment:person", args=[emp.world.supervisee.pk]))
    assert reverse("employment:follow_up", args=[day30.pk]) in html.content.decode()
    client.post(reverse("employment:follow_up", args=[day30.pk]), {"still_employed": "yes"})
    day30.refresh_from_db()
    assert day30.still_employed is True
    figures = client.get(reverse("employment:figures"))
    assert figures.status_code == 200
    assert figures.context["figures"]["people_placed"] == 1


# --- enterprises --------------------------------------------------------------------------------


def test_enterprise_staff_post_and_edit_their_own_jobs_only(emp, login):
    client = login(emp.staff)
    data = {"organisation": emp.enterprise.pk, "title": "包装工", "industry": emp.logistics.pk,
            "district": emp.home.pk, "shift": "day", "work_days": ["1", "2", "3"],
            "hours_per_week": "40", "places": "2", "status": "open", "pay_min": "3000",
            "pay_max": "3500"}
    response = client.post(reverse("employment:job_create"), data)
    assert response.status_code == 302
    job = Job.objects.get(title="包装工")
    assert job.organisation == emp.enterprise and job.work_days == "123"
    # a crafted organisation is refused by the form
    response = client.post(reverse("employment:job_create"),
                           {**data, "title": "冒名", "organisation": emp.other_enterprise.pk})
    assert response.status_code == 200 and not Job.objects.filter(title="冒名").exists()
    bad = client.post(reverse("employment:job_create"), {**data, "pay_max": "100",
                                                         "title": "倒挂"})
    assert bad.status_code == 200 and not Job.objects.filter(title="倒挂").exists()
    theirs = emp.job(organisation=emp.other_enterprise, title="别家的")
    assert client.get(reverse("employment:job_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("employment:job_edit", args=[theirs.pk]),
                       {**data, "title": "改掉"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "别家的"
    assert client.get(reverse("employment:candidates", args=[theirs.pk])).status_code == 404
    assert login(emp.world.users["ngo"]).get(reverse("employment:job_create")).status_code == 403


def test_candidates_are_consenting_matching_adults_only(emp, login):
    job = emp.job(skills=[emp.driving])
    consenting = emp.person(legal_name="钱多多")
    consenting.skills.set([emp.driving])
    emp.consent(consenting)
    silent = emp.person(legal_name="孙不言")
    banned = emp.person(legal_name="李禁业")
    emp.consent(banned)
    emp.ban(banned, emp.logistics)
    revoked = emp.person(legal_name="周反悔")
    emp.consent(revoked)
    emp.consent(revoked, granted=False)
    emp.consent(emp.world.juvenile)
    client = login(emp.staff)
    response = client.get(reverse("employment:candidates", args=[job.pk]))
    shown = {c.supervisee.pk for c in response.context["page"]}
    assert shown == {consenting.pk}
    html = response.content.decode()
    assert "钱**" in html and "钱多多" not in html  # a display name only
    url = lambda p: reverse("employment:candidate", args=[job.pk, p.pk])  # noqa: E731
    assert client.get(url(consenting)).status_code == 200
    for never in (silent, banned, revoked, emp.world.juvenile):
        assert client.get(url(never)).status_code == 404, never.legal_name
    # another enterprise sees no one through this job
    assert login(emp.other_staff).get(url(consenting)).status_code == 404


def test_an_applicant_is_visible_to_the_enterprise_without_correction_details(emp, login):
    person = emp.world.supervisee
    JobProfile.objects.create(supervisee=person, work_history="做过仓管")
    job = emp.job()
    application = services.application_create(supervisee=person, job_id=job.pk)
    client = login(emp.staff)
    html = client.get(reverse("employment:application", args=[application.pk])).content.decode()
    assert "做过仓管" in html and "李*" in html
    for secret in ("李明", person.get_sentence_kind_display(), person.get_level_display(),
                   person.unit.name, str(person.term_end.year)):
        assert secret not in html, secret
    assert client.get(reverse("employment:candidate", args=[job.pk, person.pk])).status_code \
        == 200
    # another enterprise: not found
    assert login(emp.other_staff).get(
        reverse("employment:application", args=[application.pk])).status_code == 404


def test_a_juvenile_applicant_is_never_identified_to_the_enterprise(emp, login):
    juvenile = emp.world.juvenile  # 赵小军, living in 城关镇
    JobProfile.objects.create(supervisee=juvenile, work_history="暑期在超市理货")
    job = emp.job(juveniles_allowed=True, district=emp.town)
    application = services.application_create(supervisee=juvenile, job_id=job.pk)
    html = login(emp.staff).get(
        reverse("employment:application", args=[application.pk])).content.decode()
    assert "暑期在超市理货" in html  # what they wrote about their work, yes
    assert "赵小军" not in html and "赵*" not in html and "城关镇" not in html


def test_the_enterprise_moves_an_application_on_the_page(emp, login):
    application = services.application_create(supervisee=emp.world.supervisee,
                                              job_id=emp.job().pk)
    client = login(emp.staff)
    url = reverse("employment:application_status", args=[application.pk])
    response = client.post(url, {"status": "hired"}, follow=True)
    assert any(messages_of(response))
    application.refresh_from_db()
    assert application.status == "applied"
    client.post(url, {"status": "interview", "note": "周三面试"})
    application.refresh_from_db()
    assert application.status == "interview"
    assert login(emp.world.supervisee.user).post(url, {"status": "offered"}).status_code == 403


# --- lists whose query count does not grow ----------------------------------------------------


def _count(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_the_job_board_runs_the_same_queries_for_few_and_many_jobs(
        emp, login, django_assert_num_queries):
    client = login(emp.world.users["caseworker"])
    emp.job(title="岗位甲", skills=[emp.driving])
    emp.training(skills=[emp.driving])
    filtered = reverse("employment:board") + "?district=home-town&shift=nonsense&q=岗"
    few = _count(client, reverse("employment:board"))
    few_filtered = _count(client, filtered)
    for n in range(30):
        emp.job(title=f"岗位{n}", skills=[emp.driving, emp.warehouse],
                organisation=emp.other_enterprise if n % 2 else emp.enterprise)
        emp.training(programme=f"培训{n}", skills=[emp.warehouse])
    with django_assert_num_queries(few):
        html = client.get(reverse("employment:board")).content.decode()
    assert html.count("岗位") >= 20
    with django_assert_num_queries(few_filtered):
        response = client.get(filtered)
    assert response.status_code == 200 and response.context["filter"].form.errors  # ignored


def test_the_matches_page_runs_the_same_queries_for_few_and_many_openings(
        emp, login, django_assert_num_queries):
    person = emp.world.supervisee
    emp.ban(person, emp.finance)
    emp.prohibit(person, emp.bar)
    emp.travel(person, emp.away)
    person.skills.set([emp.driving])
    JobProfile.objects.create(supervisee=person, reporting_weekday=1, reporting_period="morning")
    client = login(person.user)
    emp.job(skills=[emp.driving])
    emp.training(skills=[emp.driving])
    services.application_create(supervisee=person, job_id=emp.job(title="已投").pk)
    few = _count(client, reverse("employment:matches"))
    for n in range(40):
        emp.job(title=f"岗位{n}", skills=[emp.driving, emp.warehouse],
                district=[emp.home, emp.town, emp.away][n % 3],
                industry=emp.finance if n % 5 == 0 else emp.logistics)
        emp.training(programme=f"培训{n}", skills=[emp.warehouse])
    with django_assert_num_queries(few):
        html = client.get(reverse("employment:matches")).content.decode()
    assert html.count("岗位") >= 15
    with django_assert_num_queries(few):
        client.get(reverse("employment:matches") + "?page=2")


def test_the_enterprise_never_learns_a_caseworker_recommended_the_application(emp, login):
    person = emp.world.supervisee
    application = services.application_recommend(
        actor=emp.world.users["caseworker"], supervisee=person, job_id=emp.job().pk,
        note="缓刑期间表现良好")
    services.recommendation_answer(supervisee=person, application_id=application.pk,
                                   agree=True)
    html = login(emp.staff).get(
        reverse("employment:application", args=[application.pk])).content.decode()
    assert "缓刑期间表现良好" not in html
    assert emp.world.users["caseworker"].display_name not in html
    assert str(ApplicationStatus.RECOMMENDED.label) not in html
    [note] = Notification.objects.filter(recipient=emp.staff)
    assert "缓刑" not in note.body
    # the person and the caseworker do see the note
    for user in (person.user, emp.world.users["caseworker"]):
        page = login(user).get(reverse("employment:application", args=[application.pk]))
        assert "缓刑期间表现良好" in page.content.decode()
