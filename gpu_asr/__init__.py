"""The ASR proxy that runs beside NVIDIA Riva on the GPU task (local backend: pocketsphinx).

Routes (``gpu_asr.routes``): ``GET /health`` is open, for the load balancer; every other
route needs a service token (admin passes too): ``POST /v1/transcribe`` (one utterance),
``WS /v1/transcribe/stream`` (live recognition, ``gpu_asr.streaming``) and ``GET /metrics``.

``/metrics`` is protected like the rest rather than served open on a second port: the
architecture allows no unauthenticated route but health and signed webhooks, Prometheus can
fetch a token itself (its ``oauth2`` client-credentials scrape option), and the speech plane's
load balancer does not route ``/metrics`` at all, since metrics are per task.
"""
