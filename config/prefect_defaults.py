"""Prefect settings mentorflow needs on every machine (DESIGN.md), unless the environment says otherwise.

Imported before Prefect by the `flows` and `tasks` packages, because Prefect reads its settings on import.
"""

import os

DEFAULTS = {
    # Analytics cause SQLite lock errors on the embedded server.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # A fresh ephemeral server can take longer than Prefect's 20 s default to start.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}

for name, value in DEFAULTS.items():
    os.environ.setdefault(name, value)
