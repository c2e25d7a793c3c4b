"""What a gate shows its approvers: the stage output, summarised."""

from collections.abc import Callable

from models.programme import Stage
from models.stage_outputs import Charter, ClosureRecord, ImpactReport, MatchingOutcome, MidpointReview, Roster, TrainedRoster
from tasks.closure import closure_markdown
from tasks.matching_round import matching_markdown
from tasks.midpoint import midpoint_markdown
from tasks.recruitment import roster_markdown
from tasks.scoping import charter_markdown
from tasks.training import training_markdown

SUMMARISERS: dict[Stage, Callable[[dict], str]] = {
    Stage.scoping: lambda o: charter_markdown(Charter.model_validate(o)),
    Stage.recruitment: lambda o: roster_markdown(Roster.model_validate(o)),
    Stage.training: lambda o: training_markdown(TrainedRoster.model_validate(o)),
    Stage.matching: lambda o: matching_markdown(MatchingOutcome.model_validate(o)),
    Stage.midpoint: lambda o: midpoint_markdown(MidpointReview.model_validate(o)),
    Stage.closure: lambda o: closure_markdown(ClosureRecord.model_validate(o)),
    Stage.evaluation: lambda o: ImpactReport.model_validate(o).headline
    + f"\n\nFull report: {ImpactReport.model_validate(o).report_path}",
}


def stage_summary(stage: Stage, output: dict) -> str:
    return SUMMARISERS[stage](output)
