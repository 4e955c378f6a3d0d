"""The education-help fund: application, documents checked by content and kept private,
decision by a unit administrator, payment, follow-up."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helpnet import services
from helpnet.models import FundApplication, FundDocument
from helpnet.services import ServiceError
from portal.uploads import JPEG, PDF, PNG, UploadRejected, validate_upload

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_validator_accepts_by_content():
    assert validate_upload(upload("a.pdf", PDF_BYTES)) is PDF
    assert validate_upload(upload("a.png", PNG_BYTES)) is PNG
    assert validate_upload(upload("a.jpeg", JPEG_BYTES)) is JPEG


@pytest.mark.parametrize(("name", "content", "code"), [
    ("成绩单.pdf", EXE_BYTES, "wrong_type"),  # an .exe renamed .pdf
    ("photo.pdf", PNG_BYTES, "name_mismatch"),  # a PNG claiming to be a PDF
    ("empty.pdf", b"", "empty"),
    ("note.pdf", b"just some text, not a pdf", "wrong_type"),
])
def test_validator_refuses_disguised_and_empty_files(name, content, code):
    with pytest.raises(UploadRejected) as refused:
        validate_upload(upload(name, content))
    assert refused.value.code == code


def test_validator_refuses_oversized_files():
    big = upload("big.pdf", PDF_BYTES + b"0" * 2048)
    with pytest.raises(UploadRejected) as refused:
        validate_upload(big, max_bytes=1024)
    assert refused.value.code == "too_large"


def _apply(world, client):
    response = client.post(reverse("helpnet:fund_create", args=[world.supervisee.pk]), {
        "beneficiary": "child", "beneficiary_name": "李小雨", "need": "女儿上初二，学费和住宿费有困难",
        "amount": "1500", "is_schooling": "on", "school": "城关镇第一初级中学", "grade": "初二"})
    assert response.status_code == 302, response.content.decode()[:500]
    return FundApplication.objects.get()


def test_the_whole_fund_loop(world, login, settings):
    caseworker = login(world.users["caseworker"])
    application = _apply(world, caseworker)
    assert list(FundApplication.objects.pending()) == [application]
    caseworker.post(reverse("helpnet:fund_upload", args=[application.pk]),
                    {"file": upload("学费通知.pdf", PDF_BYTES)})
    document = FundDocument.objects.get()
    assert document.content_type == "application/pdf"
    # Stored outside the public media folder.
    path = document.file.path
    assert str(settings.PRIVATE_MEDIA_ROOT) in path
    assert str(settings.MEDIA_ROOT) not in path
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 - private storage has no public URL
    # The caseworker cannot decide.
    assert caseworker.post(reverse("helpnet:fund_decide", args=[application.pk]),
                           {"decision": "approve"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"
    admin = login(world.users["unit_admin"])
    admin.post(reverse("helpnet:fund_decide", args=[application.pk]),
               {"decision": "approve", "amount_approved": "1200", "note": "核实属实"})
    application.refresh_from_db()
    assert application.status == "approved" and str(application.amount_approved) == "1200.00"
    assert application.decided_by == world.users["unit_admin"]
    admin.post(reverse("helpnet:fund_pay", args=[application.pk]), {"reference": "转账0923"})
    application.refresh_from_db()
    assert application.status == "paid" and application.paid_at
    caseworker = login(world.users["caseworker"])
    caseworker.post(reverse("helpnet:fund_follow_up", args=[application.pk]),
                    {"note": "已入学，成绩稳定"})
    application.refresh_from_db()
    assert application.follow_up_note == "已入学，成绩稳定"
    assert not FundApplication.objects.pending().exists()


def test_reject_needs_a_reason(world, login):
    application = _apply(world, login(world.users["caseworker"]))
    with pytest.raises(ServiceError) as refused:
        services.fund_decide(actor=world.users["unit_admin"], application_id=application.pk,
                             approve=False)
    assert refused.value.code == "reason_required"
    services.fund_decide(actor=world.users["unit_admin"], application_id=application.pk,
                         approve=False, note="已获其他救助")
    application.refresh_from_db()
    assert application.status == "rejected"
    with pytest.raises(ServiceError):
        services.fund_pay(actor=world.users["unit_admin"], application_id=application.pk)


def test_disguised_upload_is_refused_with_a_message_and_nothing_stored(world, login):
    client = login(world.users["caseworker"])
    application = _apply(world, client)
    response = client.post(reverse("helpnet:fund_upload", args=[application.pk]),
                           {"file": upload("户口本.pdf", EXE_BYTES)}, follow=True)
    assert response.status_code == 200
    # "submitted" from the application form, then the refusal of the upload
    assert [m.level_tag for m in response.context["messages"]] == ["success", "error"]
    assert not FundDocument.objects.exists()


def test_oversized_upload_is_refused(world, login, monkeypatch):
    monkeypatch.setattr(services, "MAX_DOCUMENT_BYTES", 100)
    client = login(world.users["caseworker"])
    application = _apply(world, client)
    client.post(reverse("helpnet:fund_upload", args=[application.pk]),
                {"file": upload("big.pdf", PDF_BYTES + b"0" * 200)})
    assert not FundDocument.objects.exists()


def test_documents_download_only_for_staff_with_safe_headers(world, login):
    client = login(world.users["caseworker"])
    application = _apply(world, client)
    services.fund_document_add(actor=world.users["caseworker"], application_id=application.pk,
                               upload=upload("证明.png", PNG_BYTES, "image/png"))
    document = FundDocument.objects.get()
    response = client.get(reverse("helpnet:fund_document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG_BYTES
    for role, status in (("other_caseworker", 404), ("ngo", 403), ("counsellor", 403),
                         ("supervisee", 403), ("anonymous", 302)):
        assert login(world.users[role]).get(
            reverse("helpnet:fund_document", args=[document.pk])).status_code == status, role


def test_the_person_sees_their_application_without_documents(world, login):
    application = _apply(world, login(world.users["caseworker"]))
    page = login(world.users["supervisee"]).get(reverse("helpnet:fund", args=[application.pk]))
    assert page.status_code == 200
    assert "城关镇第一初级中学" in page.content.decode()
    assert login(world.users["other_supervisee"]).get(
        reverse("helpnet:fund", args=[application.pk])).status_code == 404


def test_fund_list_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories as f

    client = login(world.users["unit_admin"])
    services.fund_apply(actor=world.users["caseworker"], supervisee=world.supervisee,
                        need="学费", amount=800)
    client.get(reverse("helpnet:fund_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("helpnet:fund_list"))
    for _ in range(5):
        person = f.SuperviseeFactory(unit=world.squad1)
        services.fund_apply(actor=world.users["caseworker"], supervisee=person, need="学费",
                            amount=500)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("helpnet:fund_list"))

