"""Small-group suppression shared by every report that shows figures by demographic group.

A group under the threshold is never shown on its own. Small groups fold into one combined row;
when that row would itself be under the threshold, the next smallest group joins it, so no
suppressed group can be recovered by subtracting the shown rows from the total.
"""

COMBINED = "Other groups combined"


def fold_small_groups(sizes: dict[str, int], k: int) -> tuple[list[str], list[str]]:
    """(groups shown on their own, groups folded into the combined row), largest first."""
    ordered = sorted(sizes, key=lambda g: (-sizes[g], g))
    folded = [g for g in ordered if sizes[g] < k]
    shown = [g for g in ordered if sizes[g] >= k]
    while folded and sum(sizes[g] for g in folded) < k and shown:
        folded.append(shown.pop())
    return shown, folded
