"""/api/v1 for employment help: the contract of API.md (my matches with reasons, a job,
apply 201 / 409 twice or closed / 404 if excluded, my applications, withdraw)."""

import pytest

from employment import services
from employment.models import Application, Job
from tests.api.conftest import Api, assert_error


@pytest.fixture
def api(client):
    return Api(client)


def test_my_matches_are_ranked_with_reasons_and_paged(emp, api):
    person = emp.world.supervisee
    person.skills.set([emp.driving])
    emp.ban(person, emp.finance)
    emp.job(title="司机", skills=[emp.driving])
    emp.job(title="柳河分拣员", district=emp.town)
    emp.job(title="贷款客服", industry=emp.finance)
    emp.training(programme="叉车培训", skills=[emp.warehouse])
    api.sign_in("supervisee")
    body = api.get("/me/matches").json()
    titles = [item["title"] for item in body["items"]]
    assert body["count"] == 3 and "贷款客服" not in titles
    assert titles[0] == "司机"
    top = body["items"][0]
    assert top["type"] == "job" and top["score"] > body["items"][-1]["score"]
    codes = {r["code"] for r in top["reasons"]}
    assert {"skills_used", "home_district"} <= codes
    assert all(r["text"] for r in top["reasons"])
    assert top["url"].endswith(f"/jobs/{top['id']}/")
    paged = api.get("/me/matches?page=2&page_size=2").json()
    assert paged["count"] == 3 and len(paged["items"]) == 1
    assert_error(api.get("/me/matches?page_size=500"), 422, "invalid")


def test_matches_are_for_participants_only(emp, api):
    api.sign_in("caseworker")
    assert_error(api.get("/me/matches"), 403, "not_a_participant")
    assert_error(api.get("/me/applications"), 403, "not_a_participant")
    api.token = None
    assert_error(api.get("/me/matches"), 401, "not_authenticated")


def test_a_job_and_an_excluded_job(emp, api):
    emp.prohibit(emp.world.supervisee, emp.bar)
    job = emp.job(title="司机", skills=[emp.driving])
    bar = emp.job(title="酒吧服务员", venue_type=emp.bar)
    api.sign_in("supervisee")
    body = api.get(f"/jobs/{job.pk}").json()
    assert body["title"] == "司机" and body["skills"] == [{"code": "driving", "name": "驾驶"}]
    assert body["work_days"] == [1, 2, 3, 4, 5] and body["status"] == "open"
    assert body["reasons"] and body["my_application"] is None
    assert_error(api.get(f"/jobs/{bar.pk}"), 404, "not_found")
    assert_error(api.get("/jobs/987654"), 404, "not_found")


def test_apply_201_then_409_twice_409_closed_404_excluded(emp, api):
    emp.ban(emp.world.supervisee, emp.finance)
    job = emp.job()
    closed = emp.job(title="已招满", status=Job.Status.CLOSED)
    banned = emp.job(title="贷款客服", industry=emp.finance)
    api.sign_in("supervisee")
    response = api.post(f"/jobs/{job.pk}/apply", {"message": "我想试试"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "applied" and body["opening_id"] == job.pk
    assert body["message"] == "我想试试" and body["created_at"].endswith("+08:00")
    assert_error(api.post(f"/jobs/{job.pk}/apply"), 409, "already_applied")
    assert_error(api.post(f"/jobs/{closed.pk}/apply"), 409, "closed")
    assert_error(api.post(f"/jobs/{banned.pk}/apply"), 404, "not_found")
    assert_error(api.post(f"/jobs/{job.pk}/apply", {"message": "x" * 600}), 422, "invalid")
    assert Application.objects.count() == 1
    assert api.get(f"/jobs/{job.pk}").json()["my_application"]["status"] == "applied"


def test_apply_without_a_body_and_for_non_participants(emp, api):
    job = emp.job()
    api.sign_in("supervisee")
    response = api.client.post(f"/api/v1/jobs/{job.pk}/apply", data="",
                               content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert response.status_code == 201, response.content
    api.sign_in("enterprise")
    assert_error(api.post(f"/jobs/{job.pk}/apply"), 403, "not_a_participant")
    api.sign_in("ngo")
    assert_error(api.get(f"/jobs/{job.pk}"), 404, "not_found")


def test_my_applications_and_withdraw(emp, api):
    person = emp.world.supervisee
    mine = services.application_create(supervisee=person, job_id=emp.job().pk)
    recommended = services.application_recommend(
        actor=emp.world.users["caseworker"], supervisee=person,
        job_id=emp.job(title="推荐岗位").pk)
    theirs = services.application_create(supervisee=emp.world.other_supervisee,
                                         job_id=emp.job(title="别人的").pk)
    api.sign_in("supervisee")
    body = api.get("/me/applications").json()
    assert body["count"] == 2
    assert {a["status"] for a in body["items"]} == {"applied", "recommended"}
    response = api.post(f"/applications/{mine.pk}/withdraw")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert_error(api.post(f"/applications/{mine.pk}/withdraw"), 409, "not_withdrawable")
    assert_error(api.post(f"/applications/{theirs.pk}/withdraw"), 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.status == "applied"
    response = api.post(f"/applications/{recommended.pk}/answer", {"agree": True})
    assert response.status_code == 200 and response.json()["status"] == "applied"
    assert_error(api.post(f"/applications/{recommended.pk}/answer", {"agree": False}), 409,
                 "not_recommended")
    assert_error(api.post(f"/applications/{recommended.pk}/answer", {}), 422, "invalid")


def test_the_schema_documents_the_employment_endpoints(emp, api):
    schema = api.get("/openapi.json").json()
    for path in ("/api/v1/me/matches", "/api/v1/jobs/{job_id}", "/api/v1/jobs/{job_id}/apply",
                 "/api/v1/me/applications", "/api/v1/applications/{application_id}/withdraw"):
        assert path in schema["paths"], path
    apply = schema["paths"]["/api/v1/jobs/{job_id}/apply"]["post"]["responses"]
    assert {"201", "404", "409"} <= set(apply)
