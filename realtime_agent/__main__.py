"""``python -m realtime_agent start|dev|connect …``: LiveKit Agents' own CLI over our worker.

Building the server reads no secret (the CLI needs it before parsing), so ``--help`` works
on a machine without any; the LiveKit secret is read when a mode that connects starts.
"""

from livekit.agents import cli

from realtime_agent.worker import build_server

if __name__ == "__main__":
    cli.run_app(build_server())
