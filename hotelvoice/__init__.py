"""hotelvoice shared core.

Imported by every deployable (``functions``, ``realtime_agent``, ``gpu_asr``) and by the local
mode; it imports none of them. Keep module imports light: Lambda cold starts pay for them.
"""
