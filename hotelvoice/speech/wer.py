"""Word error rate, the accuracy metric we hold every speech engine to.

WER = (substitutions + deletions + insertions) / number of reference words,
computed with a word-level Levenshtein alignment. A corpus WER sums the edits
and reference words over all utterances instead of averaging per-utterance
rates, so short utterances ("yes") do not dominate the score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def normalise_words(text: str) -> list[str]:
    """Split text into lowercase words, the form both engines and references use.

    Args:
        text: A transcript or reference sentence.

    Returns:
        Lowercase whitespace-separated tokens.
    """
    return text.lower().split()


def word_edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Minimum number of word substitutions, deletions and insertions.

    Args:
        reference: The words that were said.
        hypothesis: The words that were recognised.

    Returns:
        The Levenshtein distance between the two word sequences.
    """
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, start=1):
            current.append(
                min(
                    previous[j] + 1,  # deletion
                    current[j - 1] + 1,  # insertion
                    previous[j - 1] + (ref_word != hyp_word),  # substitution / match
                )
            )
        previous = current
    return previous[-1]


def word_error_rate(ref: str, hyp: str) -> float:
    """Word error rate of one hypothesis against its reference.

    Args:
        ref: Reference transcript.
        hyp: Recognised transcript.

    Returns:
        Edits divided by reference words (can exceed 1.0 with many insertions).
        An empty reference gives 0.0 for an empty hypothesis and 1.0 otherwise.
    """
    reference = normalise_words(ref)
    hypothesis = normalise_words(hyp)
    if not reference:
        return 0.0 if not hypothesis else 1.0
    return word_edit_distance(reference, hypothesis) / len(reference)


def corpus_word_error_rate(pairs: Iterable[tuple[str, str]]) -> float:
    """Corpus-level WER over ``(reference, hypothesis)`` pairs.

    Args:
        pairs: Reference and recognised transcript for each utterance.

    Returns:
        Total edits divided by total reference words; 0.0 for an empty corpus.
    """
    edits = 0
    words = 0
    for ref, hyp in pairs:
        reference = normalise_words(ref)
        edits += word_edit_distance(reference, normalise_words(hyp))
        words += len(reference)
    return edits / words if words else 0.0
