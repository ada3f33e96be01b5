"""Sentences as the session speaks them: the unit the TTS cache stores.

``AgentSession`` feeds the TTS one sentence at a time (``tts.StreamAdapter`` with LiveKit's
blingfire tokenizer), so a three-sentence greeting is three cache entries. Anything that
pre-warms or measures the cache must cut text the same way, or it stores entries no call
ever asks for.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from livekit.agents import tokenize


@lru_cache(maxsize=1)
def _tokenizer() -> tokenize.SentenceTokenizer:
    return tokenize.blingfire.SentenceTokenizer(retain_format=True)  # StreamAdapter's default


def split_sentences(text: str) -> list[str]:
    """The sentences of one reply, in the order the session hands them to the TTS."""
    return [s.strip() for s in _tokenizer().tokenize(text) if s.strip()]


def sentences_of(texts: Iterable[str]) -> list[str]:
    """Every sentence of ``texts``, in order, each once (what to pre-warm)."""
    return list(dict.fromkeys(s for text in texts for s in split_sentences(text)))
