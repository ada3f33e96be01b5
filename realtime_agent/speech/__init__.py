"""Speech plugins for the LiveKit worker: ears (ASR proxy STT), voice (espeak-ng TTS), VAD."""
