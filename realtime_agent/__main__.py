"""``python -m realtime_agent start|dev|connect …``: LiveKit Agents' own CLI over our worker."""

from livekit.agents import cli

from realtime_agent.worker import build_server

if __name__ == "__main__":
    cli.run_app(build_server())
