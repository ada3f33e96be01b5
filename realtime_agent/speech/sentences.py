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


def sentences_of(texts: Iterable[str]) -> list[str]:
    """Every sentence of ``texts``, in order, each once."""
    seen: dict[str, None] = {}
    for text in texts:
        for sentence in _tokenizer().tokenize(text):
            if sentence.strip():
                seen.setdefault(sentence.strip(), None)
    return list(seen)
