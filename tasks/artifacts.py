"""Publishing stage outputs where programme leads look: Prefect artifacts."""

import re

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from tasks.step import step


def artifact_key(*parts: str) -> str:
    """Prefect artifact keys allow lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")


@step(name="publish-report")
def publish_report(cohort: str, stage: str, markdown: str, table: list[dict] | None = None) -> None:
    create_markdown_artifact(key=artifact_key(cohort, stage), markdown=markdown, description=f"{cohort}: {stage}")
    if table:
        create_table_artifact(key=artifact_key(cohort, stage, "table"), table=table, description=f"{cohort}: {stage} table")
