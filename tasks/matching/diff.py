"""What changed between two runs' pairs, by mentee."""

from collections.abc import Sequence

from models.domain import Pair


def diff_pairs(old: Sequence[Pair], new: Sequence[Pair]) -> dict[str, list[dict]]:
    """kept: same mentee, same mentor; changed: same mentee, another mentor; added: mentee newly
    matched; removed: mentee matched before and not now. Each entry names participation ids."""
    before = {pair.mentee_id: pair for pair in old}
    after = {pair.mentee_id: pair for pair in new}
    kept, changed, added, removed = [], [], [], []
    for mentee_id in sorted(before.keys() | after.keys()):
        was, now = before.get(mentee_id), after.get(mentee_id)
        if was and now and was.mentor_id == now.mentor_id:
            kept.append({"mentee_id": mentee_id, "mentor_id": now.mentor_id})
        elif was and now:
            changed.append({"mentee_id": mentee_id, "from_mentor_id": was.mentor_id, "to_mentor_id": now.mentor_id})
        elif now:
            added.append({"mentee_id": mentee_id, "mentor_id": now.mentor_id})
        else:
            removed.append({"mentee_id": mentee_id, "mentor_id": was.mentor_id})
    return {"kept": kept, "changed": changed, "added": added, "removed": removed}
