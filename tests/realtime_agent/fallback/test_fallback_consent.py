"""Declining recording in what the caller says, in five languages, and the disclosures."""

from __future__ import annotations

from datetime import date

import pytest

from hotelvoice.contracts.hotels import RecordingSettings
from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.consent import recording_decline
from realtime_agent.fallback.replies import LINES, replies_for
from realtime_agent.prewarm import fixed_sentences
from realtime_agent.speech.sentences import sentences_of

TODAY = date(2026, 11, 25)
LANGUAGES = ("en", "de", "fr", "es", "it")
RECORDS = RecordingSettings(record_calls=True)

DECLINES = [
    ("en", "Please don't record this call."),
    ("en", "I don't want to be recorded"),
    ("en", "do not record"),
    ("en", "Hello, please do not record me, thank you"),
    ("en", "I'd rather not be recorded"),
    ("en", "Can you stop the recording please?"),
    ("en", "No recording, thanks."),
    ("en", "I do not consent to being recorded"),
    ("en", "I object to the recording"),
    ("de", "Bitte nicht aufnehmen."),
    ("de", "Nicht aufnehmen!"),
    ("de", "Nein, nicht aufnehmen, danke."),
    ("de", "Ich möchte nicht aufgezeichnet werden."),
    ("de", "Nehmen Sie das Gespräch bitte nicht auf."),
    ("de", "Keine Aufnahme bitte"),
    ("de", "Ich will nicht, dass das Gespräch aufgezeichnet wird."),
    ("de", "Stoppen Sie die Aufzeichnung."),
    ("de", "Ich widerspreche der Aufzeichnung."),
    ("fr", "Ne m'enregistrez pas."),
    ("fr", "Je ne veux pas être enregistré."),
    ("fr", "Je ne souhaite pas être enregistrée"),
    ("fr", "Arrêtez l'enregistrement, s'il vous plaît."),
    ("fr", "Pas d'enregistrement, merci."),
    ("fr", "Je refuse l'enregistrement."),
    ("es", "No grabe la llamada."),
    ("es", "No quiero que me graben."),
    ("es", "No quiero ser grabado, gracias."),
    ("es", "Por favor, deje de grabar."),
    ("es", "Sin grabación, por favor."),
    ("es", "Me opongo a la grabación."),
    ("it", "Non registrare."),
    ("it", "Non voglio essere registrato."),
    ("it", "Per favore non mi registri."),
    ("it", "Non voglio che la chiamata sia registrata."),
    ("it", "Fermi la registrazione, grazie."),
    ("it", "Niente registrazione."),
]

NOT_DECLINES = [
    ("en", "I would like to record a new booking"),
    ("en", "Is there a record of my reservation?"),
    ("en", "My booking was not recorded correctly"),
    ("en", "you did not record my booking"),
    ("en", "Can you check your records for my booking?"),
    ("en", "I recorded the confirmation code somewhere"),
    ("en", "I want to book a room, and I do not want breakfast"),
    ("en", "Do not cancel my booking"),
    ("de", "Können Sie meinen Hund nicht aufnehmen?"),
    ("de", "Warum können Sie uns nicht aufnehmen?"),
    ("de", "Ich möchte die Aufnahme von zwei Gästen bestätigen"),
    ("de", "Nehmen Sie Hunde auf?"),
    ("de", "Haben Sie meine Buchung aufgenommen?"),
    ("de", "Können Sie eine Nachricht aufnehmen?"),
    ("fr", "À quelle heure est l'enregistrement ?"),
    ("fr", "Je voudrais enregistrer une réservation"),
    ("fr", "Ma réservation n'a pas été enregistrée"),
    ("fr", "Il n'y a pas d'enregistrement en ligne ?"),
    ("es", "¿A qué hora es el registro?"),
    ("es", "¿No grabó mi reserva?"),
    ("es", "Quiero grabar un mensaje para la recepción"),
    ("it", "Vorrei registrare una prenotazione"),
    ("it", "A che ora è la registrazione?"),
    ("it", "La mia prenotazione non è stata registrata"),
    ("it", "Posso fare il check-in senza registrazione online?"),
]


@pytest.mark.parametrize(("language", "text"), DECLINES)
def test_declines_are_heard_in_every_language_and_answered_in_it(language, text):
    decline = recording_decline(text, today=TODAY, language="en")
    assert decline is not None
    assert decline.language == language
    assert decline.whole_turn, "nothing else was asked"


@pytest.mark.parametrize(("language", "text"), NOT_DECLINES)
def test_record_words_in_ordinary_requests_are_no_decline(language, text):
    assert recording_decline(text, today=TODAY, language=language) is None
    assert recording_decline(text, today=TODAY, language="en") is None


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Please don't record this. Is there parking?"),
        ("en", "Don't record me, I need a room for two nights from the 12th of December"),
        ("de", "Bitte nicht aufnehmen. Meine Buchungsnummer ist HV1042."),
        ("fr", "Ne m'enregistrez pas. Je voudrais parler à la réception."),
        ("es", "No grabe la llamada. ¿Tienen parking?"),
        ("it", "Non registrare, e vorrei prenotare una camera per due notti"),
    ],
)
def test_a_decline_with_a_request_leaves_the_request_to_the_dialogue(language, text):
    decline = recording_decline(text, today=TODAY, language=language)
    assert decline is not None
    assert not decline.whole_turn


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_the_greeting_tells_callers_to_say_is_understood(language):
    replies = replies_for(HOTEL, language, RECORDS)
    said = replies.greeting.split(":", 1)[1].split(",", 1)[0]  # "…, say: do not record, or…"
    decline = recording_decline(said, today=TODAY, language=language)
    assert decline is not None
    assert (decline.language, decline.whole_turn) == (language, True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_greeting_discloses_recording_only_where_the_hotel_records(language):
    plain = replies_for(HOTEL, language).greeting
    recorded = replies_for(HOTEL, language, RECORDS).greeting
    assert HOTEL.name in plain
    assert HOTEL.name in recorded
    assert plain != recorded
    assert " 9" in recorded, "the hotel's key"
    assert "9" not in plain
    # The greeting without recording is the one with it, less the disclosure sentence(s).
    assert len(sentences_of([plain])) < len(sentences_of([recorded]))


@pytest.mark.parametrize(
    ("language", "star", "hash_"),
    [
        ("en", "press star", "press hash"),
        ("de", "die Sterntaste", "die Rautetaste"),
        ("fr", "tapez étoile", "tapez dièse"),
        ("es", "pulse asterisco", "pulse almohadilla"),
        ("it", "prema asterisco", "prema cancelletto"),
    ],
)
def test_star_and_hash_are_spoken_as_words(language, star, hash_):
    for key, spoken in (("*", star), ("#", hash_)):
        settings = RecordingSettings(record_calls=True, decline_key=key)
        assert spoken in replies_for(HOTEL, language, settings).greeting


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_prewarmed_greeting_is_the_one_the_hotels_callers_hear(language):
    for recording in (RecordingSettings(), RECORDS):
        replies = replies_for(HOTEL, language, recording)
        prompts = replies.fixed_prompts()
        assert prompts["greeting" if not recording.record_calls else "greeting_recorded"] == (
            replies.greeting
        )
        assert "greeting_recorded" in prompts or "greeting" in prompts
        assert not {"greeting", "greeting_recorded"} <= set(prompts), "only the one heard"
        assert replies.recording_declined in prompts.values()
        (sentences,) = fixed_sentences(HOTEL, [language], recording).values()
        assert set(sentences_of([replies.greeting])) <= set(sentences)


def test_every_language_has_the_consent_lines():
    for language in LANGUAGES:
        for key in ("greeting_recorded", "recording_declined", "recording_not_active"):
            assert LINES[language][key] != LINES["en"][key] or language == "en"
