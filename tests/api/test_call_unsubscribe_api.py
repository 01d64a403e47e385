"""An expert who stopped calls for experts by e-mail, through the API: the preview lists them as left out, the call
leaves them out, and their profile says since when (the page itself has no API: the expert holds no token)."""

from __future__ import annotations

from sqlalchemy import select

from workflow.calls.models import Call, CallRecipient
from workflow.experts.models import Expert

from . import test_calls_api as calls

NOW, roster, mexico, call_body, mail_to = calls.NOW, calls.roster, calls.mexico, calls.call_body, calls.mail_to
pytest_plugins = ["tests.smtp"]


def test_the_preview_and_the_call_leave_out_an_expert_who_stopped_calls_by_email(db, api, mexico, officer, mail_to):
    rui_id = mexico["people"]["pt"].id
    db.get(Expert, rui_id).call_emails_stopped_at = NOW
    db.commit()
    staff = api(officer)
    shown = staff.post(f"/api/v1/activities/{mexico['activity']}/calls/preview", json=call_body(mexico)).get_json()
    assert [p["name"] for p in shown["unsubscribed"]] == ["Rui Costa"]
    assert "Rui Costa" not in [p["name"] for p in shown["experts"]] and shown["count"] == 3
    created = staff.post(f"/api/v1/activities/{mexico['activity']}/calls",
                         json=call_body(mexico, previewed=shown["signature"]))
    assert created.status_code == 201, created.get_json()
    call = db.get(Call, created.get_json()["id"])
    assert call.unsubscribed_expert_ids == [rui_id]
    assert db.scalar(select(CallRecipient.id).where(CallRecipient.expert_id == rui_id)) is None
    assert "Rui Costa" not in {m.to for m in mail_to.messages} and len(mail_to.messages) == 3
    profile = staff.get(f"/api/v1/experts/{rui_id}").get_json()
    assert profile["call_emails_stopped_at"].startswith("2027-01-11T09:00:00")
