import config.prefect_defaults  # noqa: F401  (before any Prefect import)
