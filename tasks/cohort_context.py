"""What every stage needs to know about the cohort it works on."""

from pydantic import BaseModel

from models.outbox import Attachment, EmailRequest
from models.cohorts import cohort_by_id, programme_definition
from models.programme import ProgrammeDefinition
from tasks.runtime import get_runtime
from tasks.step import step


class CohortContext(BaseModel):
    cohort_id: int
    cohort: str
    programme: ProgrammeDefinition
    simulated: bool
    seed: int

    def base_email_context(self, recipient_name: str) -> dict:
        governance = self.programme.governance
        return {
            "programme_name": self.programme.name,
            "organisation": self.programme.organisation,
            "cohort": self.cohort,
            "manager_name": governance.programme_manager.name,
            "manager_email": str(governance.programme_manager.email),
            "recipient_name": recipient_name,
        }

    def email_key(self, *parts: object) -> str:
        return ":".join([self.cohort, *(str(p) for p in parts)])

    def email(
        self,
        key: tuple,
        *,
        to: str,
        name: str,
        template: str,
        extra: dict | None = None,
        attachments: list[Attachment] | None = None,
    ) -> EmailRequest:
        """One email to one person; `key` (with the cohort in front) makes it unique in the outbox."""
        return EmailRequest(
            key=self.email_key(*key),
            recipient=to,
            purpose=template,
            template=template,
            context=self.base_email_context(name) | (extra or {}),
            attachments=attachments or [],
            easy_read=self.programme.reminders.easy_read,
        )


@step(name="load-cohort-context")
def load_cohort_context(cohort_id: int) -> CohortContext:
    with get_runtime().session() as session:
        cohort = cohort_by_id(session, cohort_id=cohort_id)
        return CohortContext(
            cohort_id=cohort.id,
            cohort=cohort.name,
            programme=programme_definition(cohort.programme),
            simulated=cohort.simulated,
            seed=cohort.seed,
        )
