"""/info: the PMS's facts, with the hotel's configuration laid over them."""

from __future__ import annotations

from datetime import UTC, datetime

from functions.pms.routes import with_configuration
from hotelvoice.contracts.hotels import HotelConfig
from hotelvoice.pms.demo_hotel import HOTEL


def config(**fields) -> HotelConfig:
    defaults = {"dialled_numbers": ["+493055500000"], "front_desk": "+49 30 5550 1000"}
    return HotelConfig(
        hotel_id=HOTEL.hotel_id,
        version=1,
        updated_at=datetime.now(UTC),
        updated_by="test",
        **(defaults | fields),
    )


def test_configured_facts_win_and_a_missing_phone_comes_from_the_front_desk():
    from_pms = HOTEL.model_copy(
        update={"front_desk_phone": "", "policy_texts": {"de": {"pets": "PMS-Text"}}}
    )
    facts = {"de": {"pets": "Hunde sind willkommen.", "parking": "Tiefgarage, 25 Euro."}}
    info = with_configuration(from_pms, config(facts=facts))
    assert info.policy_texts["de"] == facts["de"]
    assert info.front_desk_phone == "+493055501000"
    assert with_configuration(from_pms, None) == from_pms


def test_a_pms_phone_is_kept_and_a_sip_front_desk_is_never_read_out():
    sip = config(front_desk="sip:desk@pbx.example.eu")
    assert with_configuration(HOTEL, sip).front_desk_phone == HOTEL.front_desk_phone
    empty = HOTEL.model_copy(update={"front_desk_phone": ""})
    assert with_configuration(empty, sip).front_desk_phone == ""
