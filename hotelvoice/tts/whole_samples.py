"""Re-cut a vendor's byte stream into whole 16-bit samples.

Vendors split audio wherever their network buffers end, so a chunk may stop half-way through
a sample. Passing that on would shift every later sample by one byte (loud noise) in any
consumer that treats each chunk as PCM, so engines carry the odd byte to the next chunk.
"""

from __future__ import annotations

SAMPLE_BYTES = 2


class WholeSamples:
    """Holds back the odd trailing byte of each chunk until its partner arrives."""

    def __init__(self) -> None:
        self._carry = b""
        self.total = 0
        """Bytes handed out so far."""

    def feed(self, data: bytes) -> bytes:
        """The whole samples available after ``data``; may be empty."""
        data = self._carry + data
        cut = len(data) - len(data) % SAMPLE_BYTES
        self._carry = data[cut:]
        self.total += cut
        return data[:cut]

    @property
    def dangling(self) -> bool:
        """A half sample is left over: the stream ended mid-sample."""
        return bool(self._carry)
