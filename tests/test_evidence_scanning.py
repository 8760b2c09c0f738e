"""Evidence scanning against the local stack with the real clamd: S3 upload
event → SQS → scan-evidence → the attachment is clean or refused (quarantined,
with its reason) → the claim moves on from Pending System Review to Pending
Tier 1 Review, or goes back to the practice with an email. Redelivered events
change nothing twice; a claim waits while the engine is down and moves on when
it is back and the dead-letter queue is redriven."""

import io
import json
import struct
from contextlib import contextmanager
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import audit_entries, problem
from test_claims import claim_world, edit, new_claim

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))
import cfn  # noqa: E402
import clamav  # noqa: E402
from sample_files import pdf  # noqa: E402
from together import wait_until  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 1024 * 1024
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CATALOGUE = {
    "Evidence check": [
        {"name": "Reviews", "payment": {"type": "per_unit", "unitPrice": "20.00", "unitLabel": "Review"},
         "evidence": {"requiredFromUnits": 1, "guidance": "The list of reviews, without patient data.",
                      "maxBytes": LIMIT,
                      "accepted": [{"extension": "pdf", "contentType": "application/pdf"},
                                   {"extension": "docx", "contentType": WORD},
                                   {"extension": "xlsx", "contentType": EXCEL},
                                   {"extension": "txt", "contentType": "text/plain"},
                                   {"extension": "png", "contentType": "image/png"}]}},
    ],
}

# The EICAR test file, in two halves so no scanner flags this source.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde"


def zipped(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def docx(text: str, *extra: str) -> bytes:
    document = f'<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
    return zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": document,
                   **{name: b"\xd0\xcf\x11\xe0 macros" for name in extra}})


def windows_program() -> bytes:
    header = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\0\0")
    header[0x3C:0x40] = struct.pack("<I", 0x40)
    return bytes(header) + b"PE\0\0" + b"\x64\x86" + b"\0" * 200


# --------------------------------------------------------------------------- helpers
def scan_claim(api, identity, active_user, units=2):
    world = claim_world(api, identity, active_user, services=("Evidence check",), catalogue=CATALOGUE)
    claim = new_claim(api, world)
    api.post(f"/claims/{claim['id']}/services", {"all": True}, world["token"])
    screen = api.post(f"/claims/{claim['id']}/lines", {"all": True}, world["token"]).json()
    line = screen["claimPane"]["lines"][0]
    assert edit(api, world, claim["id"], line["id"], {"units": units}, screen["version"]).status_code == 200
    return world, claim["id"], line["id"]


def attach(api, world, cid, line_id, name, content_type, data, declared=None, stack=None):
    """Attaches a file and uploads `data` with the presigned PUT (or, given the
    `stack`, straight into the bucket past the door's checks); the object key."""
    offered = api.post(f"/claims/{cid}/lines/{line_id}/attachments",
                       {"fileName": name, "contentType": content_type, "size": declared or len(data)},
                       world["token"])
    assert offered.status_code == 201, offered.text
    upload = offered.json()["upload"]
    key = urlparse(upload["url"]).path.split("/", 2)[2]
    if stack is not None:
        stack.client("s3").put_object(Bucket=stack["bucketName"], Key=key, Body=data, ContentType=content_type)
    else:
        put = api.http.put(upload["url"], data=data, headers={"content-type": content_type}, timeout=30)
        assert put.status_code == 200, put.text
    return offered.json()["attachment"]["id"], key


def files_of(api, world, cid, line_id) -> dict:
    screen = api.get(f"/claims/{cid}", world["token"]).json()
    line = next(l for l in screen["claimPane"]["lines"] if l["id"] == line_id)
    return {f["id"]: f for f in line["attachments"]}



def decided(api, world, cid, line_id, attachment_id) -> dict:
    return wait_until(
        lambda: (f := files_of(api, world, cid, line_id).get(attachment_id)) and f["status"] in ("clean", "refused") and f,
        f"attachment {attachment_id} to be checked")


def exists(stack, key: str) -> bool:
    """Listed, not read: the bucket policy denies reading anything in quarantine."""
    listed = stack.client("s3").list_objects_v2(Bucket=stack["bucketName"], Prefix=key)
    return any(o["Key"] == key for o in listed.get("Contents", []))


def readable(stack, key: str) -> bool:
    try:
        stack.client("s3").get_object(Bucket=stack["bucketName"], Key=key)
        return True
    except Exception:  # noqa: BLE001 — NoSuchKey or AccessDenied from the emulator
        return False


def queue_depth(stack, queue: str) -> int:
    attributes = stack.client("sqs").get_queue_attributes(
        QueueUrl=stack["queues"][queue],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def upload_event(key: str) -> str:
    """An S3 ObjectCreated notification as the bucket sends it."""
    return json.dumps({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-2",
        "eventTime": "2026-11-27T10:00:00.000Z", "eventName": "ObjectCreated:Put",
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "evidence",
               "bucket": {"name": "evidence", "arn": "arn:aws:s3:::evidence"},
               "object": {"key": key, "size": 1}}}]})


@pytest.fixture
def engine_back():
    """Whatever a test does to clamd, it answers again afterwards."""
    yield
    if not clamav.answers():
        clamav.start(ROOT / ".local" / "logs" / "clamd.log")


# --------------------------------------------------------------------------- tests
REFUSED = [
    ("eicar.txt", "text/plain", EICAR, "harmful content in it (LocalClaims.Test.EICAR"),
    ("zipped eicar.docx", WORD, zipped({"[Content_Types].xml": "<Types/>", "word/eicar.com": EICAR}),
     "harmful content in it (LocalClaims.Test.EICAR"),
    ("eicar renamed.pdf", "application/pdf", EICAR, "harmful content in it (LocalClaims.Test.EICAR"),
    ("program.pdf", "application/pdf", windows_program(), "it is a program"),
    ("letter with macros.docx", WORD, docx("Dear colleague", "word/vbaProject.bin"), "contains macros"),
    ("workbook with macros.xlsx", EXCEL,
     zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>", "xl/vbaProject.bin": b"\0vba"}),
     "contains macros"),
    ("script.pdf", "application/pdf", pdf("Reviews", "/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
     "the PDF contains JavaScript"),
    ("scan.pdf", "application/pdf", PNG, "it is named .pdf but is really a image/png file"),
    ("patients.txt", "text/plain", b"Reviewed: 943 476 5919\n", "NHS number"),
    ("patients.docx", WORD, docx("Patient NHS No 943 476 5919"), "NHS number"),
    ("patients.pdf", "application/pdf", pdf("NHS number 943 476 5919"), "NHS number"),
]


def test_each_bad_file_is_refused_with_its_reason_quarantined_and_never_downloadable(api, identity, active_user, stack):
    world, cid, line_id = scan_claim(api, identity, active_user)
    path = f"/claims/{cid}/lines/{line_id}/attachments"
    uploaded = [(name, *attach(api, world, cid, line_id, name, kind, data), reason)
                for name, kind, data, reason in REFUSED]
    # The upload door refuses a body longer than declared; were one let in, the check refuses it too.
    oversize_id, oversize_key = attach(api, world, cid, line_id, "long list.txt", "text/plain",
                                       b"a" * (LIMIT + 10), declared=1000, stack=stack)
    uploaded.append(("long list.txt", oversize_id, oversize_key, "larger than the 1 MB allowed"))
    for name, attachment_id, key, reason in uploaded:
        result = decided(api, world, cid, line_id, attachment_id)
        assert result["status"] == "refused", (name, result)
        assert reason in result["refusal"], (name, result["refusal"])
        refused = problem(api.get(f"{path}/{attachment_id}", world["token"]), 409)
        assert refused["type"] == "/problems/file-refused", name
        assert not exists(stack, key), f"{name} is no longer where a presigned GET could reach it"
        quarantined = key.replace("evidence/", "quarantine/", 1)
        assert exists(stack, quarantined) and not readable(stack, quarantined), f"{name} is kept, unreadable"
    blocked = problem(api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"]), 422)
    details = " ".join(e["detail"] for e in blocked["errors"] if e["pointer"] == f"/lines/{line_id}/attachments")
    assert "eicar.txt was refused (the anti-malware check found harmful content" in details
    assert api.get(f"/claims/{cid}", world["token"]).json()["status"]["code"] == "draft", "a draft stays a draft"


def test_a_clean_pdf_docx_and_workbook_pass_and_the_claim_goes_to_tier1(api, identity, active_user):
    world, cid, line_id = scan_claim(api, identity, active_user)
    clean = [("Reviews April.pdf", "application/pdf", pdf("Reviews held in April: 12")),
             ("Reviews April.docx", WORD, docx("12 reviews held in April, reference 943 476 5918")),
             ("Reviews.xlsx", EXCEL, zipped({"xl/worksheets/sheet1.xml": "<row><c><v>943</v></c><c><v>476</v></c>"
                                                                          "<c><v>5919</v></c></row>"}))]
    for name, kind, data in clean:
        attachment_id, _ = attach(api, world, cid, line_id, name, kind, data)
        result = decided(api, world, cid, line_id, attachment_id)
        assert result["status"] == "clean", (name, result)
        link = api.get(f"/claims/{cid}/lines/{line_id}/attachments/{attachment_id}", world["token"])
        assert link.status_code == 200, link.text
        served = api.http.get(link.json()["url"])
        assert served.content == data and served.headers["content-type"] == kind
        # Saved under its own name, never shown in the page's place.
        assert served.headers["content-disposition"] == f'attachment; filename="{name}"'
    submitted = api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"])
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"]["code"] == "pending_tier1_review"


def test_a_replaced_upload_is_checked_afresh(api, identity, active_user):
    world, cid, line_id = scan_claim(api, identity, active_user)
    offered = api.post(f"/claims/{cid}/lines/{line_id}/attachments",
                       {"fileName": "list.txt", "contentType": "text/plain", "size": 12}, world["token"]).json()
    url = offered["upload"]["url"]
    attachment_id = offered["attachment"]["id"]
    assert api.http.put(url, data=b"12 reviews.\n", headers={"content-type": "text/plain"}).status_code == 200
    assert decided(api, world, cid, line_id, attachment_id)["status"] == "clean"
    # The same presigned URL, used again within its five minutes, with something else.
    assert api.http.put(url, data=b"943 476 5919", headers={"content-type": "text/plain"}).status_code == 200
    wait_until(lambda: files_of(api, world, cid, line_id)[attachment_id]["status"] == "refused",
               "the replacement to be refused")


@contextmanager
def uploads_unannounced(stack):
    """The bucket's upload events held back (its notification taken off and put
    back), so what happens between an upload and its check can be seen as it is."""
    s3 = stack.client("s3")
    configuration = s3.get_bucket_notification_configuration(Bucket=stack["bucketName"])
    configuration.pop("ResponseMetadata", None)
    s3.put_bucket_notification_configuration(Bucket=stack["bucketName"], NotificationConfiguration={})
    try:
        yield
    finally:
        s3.put_bucket_notification_configuration(Bucket=stack["bucketName"], NotificationConfiguration=configuration)


def announce(stack, key: str) -> None:
    """The upload event for `key`, as the bucket would have sent it."""
    stack.client("sqs").send_message(QueueUrl=stack["queues"]["EvidenceUploadQueue"], MessageBody=upload_event(key))


def status_of(api, world, cid) -> str:
    return api.get(f"/claims/{cid}", world["token"]).json()["status"]["code"]


@pytest.mark.parametrize("upload,after", [
    (("list.txt", "text/plain", b"12 reviews held.\n"), "pending_tier1_review"),
    (("eicar.txt", "text/plain", EICAR), "returned"),
], ids=["clean", "eicar"])
def test_submitting_straight_after_an_upload_waits_in_system_review_and_moves_on_by_itself(
        api, identity, active_user, stack, outbox, upload, after):
    """The guides: with documentation attached the claim shows Pending System
    Review and moves on by itself. An upload that has arrived is being checked,
    not missing — even before its check has begun."""
    world, cid, line_id = scan_claim(api, identity, active_user)
    with uploads_unannounced(stack):
        attachment_id, key = attach(api, world, cid, line_id, *upload)
        submitted = api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"])
        assert submitted.status_code == 200, submitted.text
        assert submitted.json()["status"]["label"] == "Pending System Review"
        assert files_of(api, world, cid, line_id)[attachment_id]["status"] == "scanning"
    announce(stack, key)
    wait_until(lambda: status_of(api, world, cid) == after, f"the claim to move on to {after}")
    if after == "returned":
        last = api.get(f"/claims/{cid}", world["token"]).json()["history"][-1]
        assert "The evidence check refused eicar.txt" in last["reason"]
        subject = f"Claim {cid} needs a new evidence file"
        wait_until(lambda: [m for m in outbox.to(world["user"]["email"]) if m["subject"] == subject], "the email")
        time.sleep(1)  # room for a second email, which must not come
        assert len([m for m in outbox.to(world["user"]["email"]) if m["subject"] == subject]) == 1


def test_a_download_serves_only_the_upload_that_was_checked(api, identity, active_user, stack, engine_back):
    """A presigned PUT still valid after its upload lets the practice put other
    bytes (EICAR of the same size and type) at the same key. A download link —
    given before or after that — serves the checked bytes; once the new upload's
    check begins the file cannot be downloaded until it is decided."""
    world, cid, line_id = scan_claim(api, identity, active_user)
    first = b"A list of reviews held, no patient data: 12 in April and in May....\n"
    assert len(first) == len(EICAR)
    offered = api.post(f"/claims/{cid}/lines/{line_id}/attachments",
                       {"fileName": "list.txt", "contentType": "text/plain", "size": len(first)}, world["token"]).json()
    upload, attachment_id = offered["upload"], offered["attachment"]["id"]
    assert api.http.put(upload["url"], data=first, headers=upload["headers"]).status_code == 200
    assert decided(api, world, cid, line_id, attachment_id)["status"] == "clean"
    path = f"/claims/{cid}/lines/{line_id}/attachments/{attachment_id}"
    before = api.get(path, world["token"]).json()["url"]
    key = urlparse(upload["url"]).path.split("/", 2)[2]
    with uploads_unannounced(stack):
        assert api.http.put(upload["url"], data=EICAR, headers=upload["headers"]).status_code == 200
        assert api.http.get(before).content == first, "a link given before the replacement"
        after = api.get(path, world["token"])
        assert after.status_code == 200, after.text
        assert api.http.get(after.json()["url"]).content == first, "a link given after it, before its check"
    clamav.stop()
    announce(stack, key)
    wait_until(lambda: files_of(api, world, cid, line_id)[attachment_id]["status"] == "scanning",
               "the new upload's check to begin")
    assert problem(api.get(path, world["token"]), 409)["type"] == "/problems/file-not-checked"
    clamav.start(ROOT / ".local" / "logs" / "clamd.log")

    def refused_once_retried():
        if queue_depth(stack, "EvidenceUploadDeadLetterQueue"):  # retried out while the engine was away
            subprocess.run([sys.executable, str(ROOT / "infra" / "redrive.py"), "EvidenceUploadDeadLetterQueue"],
                           cwd=ROOT, timeout=60, check=True, capture_output=True)
        found = files_of(api, world, cid, line_id)[attachment_id]
        return found["status"] == "refused" and found

    refused = wait_until(refused_once_retried, "the new upload to be refused")
    assert "harmful content" in refused["refusal"]
    assert problem(api.get(path, world["token"]), 409)["type"] == "/problems/file-refused"
    assert api.http.get(before).content == first, "what the old link serves is still only what was checked"


def test_after_submission_an_upload_to_its_evidence_is_removed_and_the_claim_keeps_what_was_checked(
        api, identity, active_user, stack, table, outbox):
    world, cid, line_id = scan_claim(api, identity, active_user)
    first = b"A list of reviews held, no patient data: 12 in April and in May....\n"
    offered = api.post(f"/claims/{cid}/lines/{line_id}/attachments",
                       {"fileName": "list.txt", "contentType": "text/plain", "size": len(first)}, world["token"]).json()
    upload, attachment_id = offered["upload"], offered["attachment"]["id"]
    assert api.http.put(upload["url"], data=first, headers=upload["headers"]).status_code == 200
    assert decided(api, world, cid, line_id, attachment_id)["status"] == "clean"
    submitted = api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"])
    assert submitted.json()["status"]["code"] == "pending_tier1_review", submitted.text
    outbox.titled(world["user"]["email"], f"Claim {cid} submitted")
    emails = len(outbox.to(world["user"]["email"]))

    # The presigned PUT is still within its five minutes: S3 takes the bytes.
    assert api.http.put(upload["url"], data=EICAR, headers=upload["headers"]).status_code == 200
    s3 = stack.client("s3")
    key = urlparse(upload["url"]).path.split("/", 2)[2]
    wait_until(lambda: s3.get_object(Bucket=stack["bucketName"], Key=key)["Body"].read() == first,
               "the upload after submission to be removed")
    versions = s3.list_object_versions(Bucket=stack["bucketName"], Prefix=key).get("Versions", [])
    assert len(versions) == 1, "the replacement is gone for good, not hidden behind the first"
    removed = [e for e in audit_entries(table, stack, world["code"], f"CLAIM#{cid}")
               if e["action"]["S"] == "evidence.replacement-removed"]
    assert len(removed) == 1
    claim = api.get(f"/claims/{cid}", world["token"]).json()
    assert claim["status"]["code"] == "pending_tier1_review"
    assert [h["action"] for h in claim["history"]] == ["started", "submitted"], "the claim never moved"
    assert files_of(api, world, cid, line_id)[attachment_id]["status"] == "clean"
    reviewer = identity.as_role("tier1")
    link = api.get(f"/claims/{cid}/lines/{line_id}/attachments/{attachment_id}", reviewer)
    assert link.status_code == 200 and api.http.get(link.json()["url"]).content == first
    assert len(outbox.to(world["user"]["email"])) == emails, "nothing to tell the practice: nothing changed"


def test_engine_down_waits_then_moves_on_once_and_a_refusal_returns_the_claim_once(
        api, identity, active_user, stack, outbox, engine_back):
    """Two claims while clamd is down: A with two clean files, B with a clean
    file and EICAR. Both wait in Pending System Review; their events go to the
    dead-letter queue; clamd back and a redrive → A moves to Tier 1 once (its
    two files finishing together), B goes back to the practice with one email.
    Then every event is delivered three more times: nothing changes."""
    a_world, a_id, a_line = scan_claim(api, identity, active_user)
    b_world, b_id, b_line = scan_claim(api, identity, active_user)
    dead_letters = "EvidenceUploadDeadLetterQueue"
    assert queue_depth(stack, dead_letters) == 0
    clamav.stop()
    assert not clamav.answers()
    a_files = [attach(api, a_world, a_id, a_line, f"list {i}.txt", "text/plain", f"{i} reviews\n".encode())
               for i in (1, 2)]
    b_files = [attach(api, b_world, b_id, b_line, "list.txt", "text/plain", b"3 reviews\n"),
               attach(api, b_world, b_id, b_line, "eicar.txt", "text/plain", EICAR)]
    for world, cid, line, files in [(a_world, a_id, a_line, a_files), (b_world, b_id, b_line, b_files)]:
        wait_until(lambda: all(f["status"] == "scanning" for f in files_of(api, world, cid, line).values()),
                   "the files to show they are being checked")
        submitted = api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"])
        assert submitted.status_code == 200, submitted.text
        assert submitted.json()["status"]["label"] == "Pending System Review"
    wait_until(lambda: queue_depth(stack, dead_letters) == 4, "the retried events to reach the dead-letter queue")
    for world, cid in [(a_world, a_id), (b_world, b_id)]:
        assert api.get(f"/claims/{cid}", world["token"]).json()["status"]["code"] == "pending_system_review"
    returned_mail = f"Claim {b_id} needs a new evidence file"
    assert not [m for m in outbox.to(b_world["user"]["email"]) if m["subject"] == returned_mail]

    clamav.start(ROOT / ".local" / "logs" / "clamd.log")
    redriven = subprocess.run([sys.executable, str(ROOT / "infra" / "redrive.py"), dead_letters],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert redriven.returncode == 0 and "moved 4 message(s)" in redriven.stdout, redriven.stdout + redriven.stderr
    back = time.time()
    a_claim = wait_until(lambda: (c := api.get(f"/claims/{a_id}", a_world["token"]).json())
                         and c["status"]["code"] == "pending_tier1_review" and c, "claim A to reach Tier 1")
    assert time.time() - back < 15, "within seconds of the engine coming back"
    assert [h["action"] for h in a_claim["history"]].count("evidence checked") == 1
    b_claim = wait_until(lambda: (c := api.get(f"/claims/{b_id}", b_world["token"]).json())
                         and c["status"]["code"] == "returned" and c, "claim B to be returned")
    last = b_claim["history"][-1]
    assert last["by"] == "system" and "The evidence check refused eicar.txt" in last["reason"]
    assert b_claim["claimPane"]["lines"][0]["units"] == 2, "nothing else of the claim is lost"
    wait_until(lambda: [m for m in outbox.to(b_world["user"]["email"]) if m["subject"] == returned_mail],
               "the email saying the claim was returned")

    sqs = stack.client("sqs")
    keys = [key for _, key in a_files + b_files]
    for _ in range(3):
        for key in keys:
            sqs.send_message(QueueUrl=stack["queues"]["EvidenceUploadQueue"], MessageBody=upload_event(key))
    wait_until(lambda: queue_depth(stack, "EvidenceUploadQueue") == 0, "the redelivered events to be handled")
    time.sleep(2)  # the mailer's turn
    assert api.get(f"/claims/{a_id}", a_world["token"]).json()["history"] == a_claim["history"]
    assert api.get(f"/claims/{b_id}", b_world["token"]).json()["history"] == b_claim["history"]
    assert len([m for m in outbox.to(b_world["user"]["email"]) if m["subject"] == returned_mail]) == 1
    assert queue_depth(stack, dead_letters) == 0


def test_the_template_keeps_refused_files_unreadable_and_watches_the_dead_letter_queue():
    template = cfn.load_template()
    resources = template["Resources"]
    policy = resources["EvidenceBucketPolicy"]
    assert policy["Properties"]["Bucket"] == {"Ref": "EvidenceBucket"}
    denies = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    quarantine = next(s for s in denies if s.get("Sid") == "QuarantineIsNeverRead")
    assert "s3:GetObject" in quarantine["Action"] and quarantine["Principal"] == "*"
    assert quarantine["Resource"] == {"Fn::Sub": "${EvidenceBucket.Arn}/quarantine/*"}
    alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    watched = {a["Dimensions"][0]["Value"]["Fn::GetAtt"][0] for a in alarms}
    assert {"EvidenceUploadDeadLetterQueue", "MailDeadLetterQueue"} <= watched
    scan = resources["ScanEvidenceFunction"]["Properties"]
    assert scan["Environment"]["Variables"]["MALWARE_ENGINE_ADDRESS"] == {
        "Fn::Sub": "clamd.${MalwareEngineNamespace.Name}:3310"}
    assert scan["MemorySize"] >= 1024 and resources["EvidenceUploadQueue"]["Properties"]["VisibilityTimeout"] >= 6 * scan["Timeout"]
    task = resources["MalwareEngineTask"]["Properties"]["ContainerDefinitions"][0]
    assert {"Name": "CLAMD_CONF_StreamMaxLength", "Value": "30M"} in task["Environment"]
