"""Hard rules: which mentor may be paired with which mentee, as numpy masks over blocks of mentees.

A pair breaking any rule is never made. The same rules are checked again pair by pair
(`pair_breaks`) on every result, so the run can report zero violations from an independent check.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from models.domain import ParticipantProfile
from models.programme import MatchingPolicy


@dataclass
class RuleArrays:
    mentor_open: np.ndarray  # trained and with capacity
    mentee_org: np.ndarray
    mentor_org: np.ndarray
    mentee_sector: np.ndarray
    mentor_sector: np.ndarray
    mentee_languages: np.ndarray  # bool, mentees x languages
    mentor_languages: np.ndarray
    blocked_rows: dict[str, np.ndarray]  # kind -> mentee indices of pairs never to make
    blocked_cols: dict[str, np.ndarray]
    same_organisation_allowed: bool
    cross_sector_required: bool
    shared_language_required: bool

    def feasible_block(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """Bool matrix (len(rows) x mentors, or x len(cols)) of pairs no rule forbids."""
        cols = np.arange(len(self.mentor_open)) if cols is None else cols
        mask = np.broadcast_to(self.mentor_open[cols], (len(rows), len(cols))).copy()
        for _, rule_mask in self.rule_masks(rows, cols):
            mask &= rule_mask
        return mask

    def mark_infeasible(self, block: np.ndarray, rows: np.ndarray, cols: np.ndarray, value: float = -1) -> np.ndarray:
        """Set the pairs a rule forbids to `value` in place (a block of len(rows) x len(cols)).

        Cheaper than `feasible_block` on large blocks: listed pairs (managers, conflicts, exclusions)
        are written one by one instead of building a full mask per rule."""
        block[:, ~self.mentor_open[cols]] = value
        if not self.same_organisation_allowed:
            block[self.mentee_org[rows, None] == self.mentor_org[None, cols]] = value
        if self.cross_sector_required:
            block[self.mentee_sector[rows, None] == self.mentor_sector[None, cols]] = value
        if self.shared_language_required:
            shared = self.mentee_languages[rows].astype(np.float32) @ self.mentor_languages[cols].T.astype(np.float32)
            block[shared == 0] = value
        if len(rows) == 0:
            return block
        low, high = int(rows.min()), int(rows.max())
        row_at = np.full(high - low + 1, -1, np.int64)
        row_at[rows - low] = np.arange(len(rows))
        col_at = np.full(len(self.mentor_open), -1, np.int64)
        col_at[cols] = np.arange(len(cols))
        for kind in self.blocked_rows:
            # listed pairs are sorted by mentee row: only the slice for this block's rows is looked at
            first, last = np.searchsorted(self.blocked_rows[kind], [low, high + 1])
            r = row_at[self.blocked_rows[kind][first:last] - low]
            c = col_at[self.blocked_cols[kind][first:last]]
            listed = (r >= 0) & (c >= 0)
            block[r[listed], c[listed]] = value
        return block

    def rule_masks(self, rows: np.ndarray, cols: np.ndarray) -> list[tuple[str, np.ndarray]]:
        """(what a feasible mentor must be, mask) per active rule, in the order used to explain an empty list."""
        masks = []
        if not self.same_organisation_allowed:
            masks.append(("outside their organisation", self.mentee_org[rows, None] != self.mentor_org[None, cols]))
        if self.cross_sector_required:
            masks.append(("in another sector", self.mentee_sector[rows, None] != self.mentor_sector[None, cols]))
        if self.shared_language_required:
            shared = self.mentee_languages[rows].astype(np.float32) @ self.mentor_languages[cols].T.astype(np.float32)
            masks.append(("who shares a language", shared > 0))
        descriptions = {
            "manager": "outside their line-management chain",
            "conflict": "without a declared conflict",
            "excluded": "other than a former or forbidden partner",
        }
        for kind, description in descriptions.items():
            masks.append((description, self._unblocked(kind, rows, cols)))
        return masks

    def _unblocked(self, kind: str, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        mask = np.ones((len(rows), len(cols)), dtype=bool)
        blocked_rows, blocked_cols = self.blocked_rows[kind], self.blocked_cols[kind]
        if len(blocked_rows) == 0:
            return mask
        keep = np.isin(blocked_rows, rows) & np.isin(blocked_cols, cols)
        mask[_positions(rows, blocked_rows[keep]), _positions(cols, blocked_cols[keep])] = False
        return mask

    def feasible_pairs(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Bool vector: may mentee rows[k] be paired with mentor cols[k]?"""
        ok = self.mentor_open[cols].copy()
        if not self.same_organisation_allowed:
            ok &= self.mentee_org[rows] != self.mentor_org[cols]
        if self.cross_sector_required:
            ok &= self.mentee_sector[rows] != self.mentor_sector[cols]
        if self.shared_language_required:
            ok &= (self.mentee_languages[rows] & self.mentor_languages[cols]).any(axis=1)
        width = len(self.mentor_org)
        for kind in self.blocked_rows:
            blocked = self.blocked_rows[kind] * width + self.blocked_cols[kind]
            ok &= ~np.isin(rows * width + cols, blocked)
        return ok


def _positions(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Where each of `values` sits in `keys` (every value is present, keys are unique)."""
    order = np.argsort(keys, kind="stable")
    return order[np.searchsorted(keys[order], values)]


def _codes(values: Sequence[str]) -> np.ndarray:
    """Integer codes; blanks get distinct negative codes so two blanks never count as 'the same'."""
    vocabulary: dict[str, int] = {}
    codes = np.empty(len(values), dtype=np.int64)
    for k, value in enumerate(values):
        key = value.strip().lower()
        codes[k] = vocabulary.setdefault(key, len(vocabulary)) if key else -1 - k
    return codes


def build_rule_arrays(
    mentees: Sequence[ParticipantProfile],
    mentors: Sequence[ParticipantProfile],
    policy: MatchingPolicy,
    *,
    capacity: np.ndarray,
    forbidden: Collection[tuple[str, str]] = (),
    exclude: Collection[tuple[int, int]] = (),
) -> RuleArrays:
    n = len(mentees)
    orgs = _codes([p.organisation for p in mentees] + [p.organisation for p in mentors])
    sectors = _codes([p.sector for p in mentees] + [p.sector for p in mentors])
    language_index: dict[str, int] = {}
    for person in [*mentees, *mentors]:
        for language in person.languages:
            language_index.setdefault(language.strip().lower(), len(language_index))
    languages = np.zeros((n + len(mentors), max(1, len(language_index))), dtype=bool)
    for k, person in enumerate([*mentees, *mentors]):
        for language in person.languages:
            languages[k, language_index[language.strip().lower()]] = True

    mentor_by_email = {p.email.lower(): j for j, p in enumerate(mentors)}
    mentee_by_email = {p.email.lower(): i for i, p in enumerate(mentees)}
    mentor_by_id = {p.participation_id: j for j, p in enumerate(mentors)}
    mentee_by_id = {p.participation_id: i for i, p in enumerate(mentees)}
    blocked: dict[str, set[tuple[int, int]]] = {"manager": set(), "conflict": set(), "excluded": set()}
    for i, mentee in enumerate(mentees):
        for email in [mentee.line_manager_email or "", *mentee.manager_chain]:
            if email.lower() in mentor_by_email:
                blocked["manager"].add((i, mentor_by_email[email.lower()]))
        for email in mentee.conflicts:
            if email.lower() in mentor_by_email:
                blocked["conflict"].add((i, mentor_by_email[email.lower()]))
    for j, mentor in enumerate(mentors):
        for email in mentor.conflicts:
            if email.lower() in mentee_by_email:
                blocked["conflict"].add((mentee_by_email[email.lower()], j))
    for mentor_email, mentee_email in forbidden:
        if mentor_email.lower() in mentor_by_email and mentee_email.lower() in mentee_by_email:
            blocked["excluded"].add((mentee_by_email[mentee_email.lower()], mentor_by_email[mentor_email.lower()]))
    for mentor_id, mentee_id in exclude:
        if mentor_id in mentor_by_id and mentee_id in mentee_by_id:
            blocked["excluded"].add((mentee_by_id[mentee_id], mentor_by_id[mentor_id]))

    rows = {kind: np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2) for kind, pairs in blocked.items()}
    trained = np.array([p.trained for p in mentors], dtype=bool)
    return RuleArrays(
        mentor_open=trained & (capacity > 0),
        mentee_org=orgs[:n],
        mentor_org=orgs[n:],
        mentee_sector=sectors[:n],
        mentor_sector=sectors[n:],
        mentee_languages=languages[:n],
        mentor_languages=languages[n:],
        blocked_rows={kind: pairs[:, 0] for kind, pairs in rows.items()},
        blocked_cols={kind: pairs[:, 1] for kind, pairs in rows.items()},
        same_organisation_allowed=policy.hard_rules.same_organisation_allowed,
        cross_sector_required=policy.hard_rules.cross_sector_required,
        shared_language_required=policy.hard_rules.shared_language_required,
    )


def pair_breaks(
    mentee: ParticipantProfile,
    mentor: ParticipantProfile,
    policy: MatchingPolicy,
    *,
    forbidden: Collection[tuple[str, str]] = (),
    exclude: Collection[tuple[int, int]] = (),
) -> list[str]:
    """The hard rules this one pair breaks, in words (capacity is checked over the whole result)."""
    broken = []
    mentor_email = mentor.email.lower()
    if not mentor.trained:
        broken.append("mentor is not trained")
    if mentor_email == (mentee.line_manager_email or "").lower():
        broken.append("mentor is the mentee's line manager")
    elif mentor_email in {email.lower() for email in mentee.manager_chain}:
        broken.append("mentor is above the mentee in their line-management chain")
    rules = policy.hard_rules
    if not rules.same_organisation_allowed and _same(mentee.organisation, mentor.organisation):
        broken.append("same organisation")
    if rules.cross_sector_required and _same(mentee.sector, mentor.sector):
        broken.append("same sector, and the programme requires cross-sector pairs")
    if rules.shared_language_required and not (
        {x.strip().lower() for x in mentee.languages} & {x.strip().lower() for x in mentor.languages}
    ):
        broken.append("no shared language")
    if mentor_email in {e.lower() for e in mentee.conflicts} or mentee.email.lower() in {e.lower() for e in mentor.conflicts}:
        broken.append("a conflict is declared")
    if (mentor_email, mentee.email.lower()) in {(a.lower(), b.lower()) for a, b in forbidden}:
        broken.append("the pair is forbidden")
    if (mentor.participation_id, mentee.participation_id) in set(exclude):
        broken.append("they were partners before")
    return broken


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().lower() == b.strip().lower()


def capacity_array(mentors: Sequence[ParticipantProfile], capacity_left: Mapping[int, int] | None) -> np.ndarray:
    capacity_left = capacity_left or {}
    return np.array([max(0, capacity_left.get(p.participation_id, p.capacity)) for p in mentors], dtype=np.int64)
