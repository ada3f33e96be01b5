"""The ASR proxy that runs beside NVIDIA Riva on the GPU task (local backend: pocketsphinx)."""
