"""The steps of a scripted call; light on imports so the CLI can parse them quickly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Say:
    """The caller speaks (as the speech recogniser would hand it over)."""

    text: str


@dataclass(frozen=True)
class Press:
    """The caller presses a key on the phone (DTMF)."""

    digit: str


@dataclass(frozen=True)
class Silence:
    """The caller says nothing for the hotel's silence limit."""


Step = Say | Press | Silence
