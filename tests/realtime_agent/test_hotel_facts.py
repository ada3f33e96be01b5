"""What the receptionist says about the hotel: the hotel's configured facts first, the PMS's
next, and a referral to the front desk where nobody knows, never an invented or empty answer."""

from __future__ import annotations

import json
import uuid
from contextlib import asynccontextmanager

from livekit.agents import AgentSession

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from realtime_agent.call_state import CallState
from realtime_agent.fallback.policy_llm import FallbackPolicyLLM
from realtime_agent.fallback.replies import replies_for
from realtime_agent.pms_client import PmsClient
from realtime_agent.receptionist import Receptionist


@asynccontextmanager
async def session_for(plane, hotel):
    settings = get_settings()
    pms = PmsClient(settings.api_url, plane.token(Role.SERVICE, subject="realtime-agent"))
    state = CallState(call_id=f"facts-{uuid.uuid4().hex[:6]}", hotel=hotel, pms=pms)
    try:
        async with AgentSession(
            llm=FallbackPolicyLLM(hotel, plane.today), userdata=state
        ) as session:
            await session.start(Receptionist(hotel, plane.today, "Greet the caller."))
            yield session
    finally:
        await pms.aclose()


def hotel_info_answers(result) -> list[str]:
    outputs = [
        e.item.output
        for e in result.events
        if e.type == "function_call_output" and e.item.name == "get_hotel_info"
    ]
    return [json.loads(o)["answer"] for o in outputs]


async def test_a_fact_the_pms_does_not_keep_is_referred_to_the_front_desk(plane):
    pms = PmsClient(get_settings().api_url, plane.token(Role.SERVICE))
    try:
        known = await pms.hotel_info(DEMO_HOTEL_ID)
    finally:
        await pms.aclose()
    # As a real PMS (Apaleo) answers: no parking text, no policy texts.
    hotel = known.model_copy(update={"parking": "", "policy_texts": {}})
    async with session_for(plane, hotel) as session:
        result = await session.run(user_input="where can I park my car?")
    (answer,) = hotel_info_answers(result)
    assert answer == replies_for(hotel, "en").fact_unknown
    said = " ".join(e.item.text_content or "" for e in result.events if e.type == "message")
    assert replies_for(hotel, "en").fact_unknown in said


def test_the_hotels_configured_facts_win_over_the_pms_in_what_the_agent_reads(plane):
    admin = {
        "authorization": f"Bearer {plane.token(Role.ADMIN, [DEMO_HOTEL_ID])}",
        "content-type": "application/json",
    }
    config = plane.api.request("GET", f"/v1/hotels/{DEMO_HOTEL_ID}/config", admin).json()
    body = {k: v for k, v in config.items() if k not in ("hotel_id", "updated_at", "updated_by")}
    parking = "Die Tiefgarage kostet 25 Euro am Tag; die Einfahrt ist in der Linienstraße."
    body["facts"] = {"de": {"parking": parking}}
    changed = plane.api.request(
        "PUT", f"/v1/hotels/{DEMO_HOTEL_ID}/config", admin, json.dumps(body)
    )
    assert changed.status == 200, changed.body
    try:
        service = {"authorization": f"Bearer {plane.token(Role.SERVICE)}"}
        info = plane.api.request("GET", f"/v1/hotels/{DEMO_HOTEL_ID}/info", service).json()
        assert info["policy_texts"]["de"]["parking"] == parking
        assert info["parking"]  # the PMS's English text stays for other languages
    finally:
        body["facts"] = config.get("facts", {})
        body["version"] = changed.json()["version"]
        plane.api.request("PUT", f"/v1/hotels/{DEMO_HOTEL_ID}/config", admin, json.dumps(body))


def test_facts_in_a_language_or_topic_we_do_not_have_are_a_400(plane):
    admin = {
        "authorization": f"Bearer {plane.token(Role.ADMIN)}",
        "content-type": "application/json",
    }
    base = {"version": 0, "dialled_numbers": ["+4989555011" + str(uuid.uuid4().int)[:3]]}
    base["front_desk"] = "+498955501000"
    for facts in ({"nl": {"parking": "x"}}, {"de": {"spa": "x"}}, {"de": {"pets": "x" * 601}}):
        answer = plane.api.request(
            "PUT",
            f"/v1/hotels/facts-{uuid.uuid4().hex[:6]}/config",
            admin,
            json.dumps(base | {"facts": facts}),
        )
        assert answer.status == 400, facts
