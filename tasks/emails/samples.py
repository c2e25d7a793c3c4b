"""A sample context for every email template: documents what each template needs.

Used by the tests (every template renders; a missing variable raises) and by the
email benchmark. Flows build the real contexts from the cohort's data.
"""

COMMON = {
    "programme_name": "Growing Leaders Pilot",
    "organisation": "Northshire Council",
    "cohort": "2027-spring",
    "manager_name": "Priya Shah",
    "manager_email": "priya.shah@northshire.example",
    "recipient_name": "Jane Doe",
}

SURVEY_URL = "https://surveys.example/growing-leaders/2027-spring/abc123"

SPECIFIC = {
    "charter_published": {
        "aims": ["Grow the next generation of leaders", "Widen access to senior roles"],
        "objectives": [
            {"description": "Mentees' confidence rises", "target": "+1 point on a 1-5 scale", "by": "2027-12-31"},
            {"description": "Pairs meet monthly", "target": "80% of pairs", "by": "2027-12-31"},
        ],
        "target_pairs": 40,
    },
    "call_for_applications": {
        "role": "mentee",
        "closes_on": "Friday 12 February 2027",
        "audience_description": "staff at grades 4 to 7 who want to grow into leadership",
    },
    "application_confirmation": {"role": "mentor"},
    "recruitment_closing_reminder": {"role": "mentor", "closes_on": "Friday 12 February 2027"},
    "eligibility_outcome": {"role": "mentee", "eligible": False, "reason": "a nomination from your manager is needed"},
    "training_invitation": {
        "session_name": "Mentor induction day",
        "starts_at": "Tuesday 2 March 2027, 09:30 (Europe/London)",
        "duration_hours": 6,
        "kind": "in person",
    },
    "training_reminder": {
        "session_name": "Mentor induction day",
        "starts_at": "Tuesday 2 March 2027, 09:30",
        "days_before": 7,
    },
    "training_missed": {"session_name": "Mentor induction day"},
    "line_manager_briefing": {
        "mentee_names": ["Sam Lee", "Ana Costa"],
        "session_name": "Mentee induction day",
        "starts_at": "Wednesday 3 March 2027, 09:30",
    },
    "match_introduction": {
        "role": "mentee",
        "partner_name": "Sam Lee",
        "partner_email": "sam.lee@northshire.example",
        "reasons": ["Sam's expertise covers 2 of your goals: leadership, budgeting", "a different directorate"],
        "goals": ["leadership", "budgeting"],
        "meeting_frequency": "monthly, 60 minutes",
        "months": 12,
    },
    "unmatched_notice": {"why": "no trained mentor with capacity covered your goals this time"},
    "monthly_nudge": {"partner_name": "Sam Lee", "month": "May 2027"},
    "midpoint_checkin": {"partner_name": "Sam Lee", "survey_url": SURVEY_URL},
    "survey_request": {"survey_kind": "pre", "survey_url": SURVEY_URL},
    "survey_chaser": {"survey_kind": "post", "survey_url": SURVEY_URL, "days_since": 7},
    "closure_message": {"partner_name": "Sam Lee", "months": 12},
    "closing_event_invitation": {
        "event_name": "End-of-programme celebration",
        "starts_at": "Thursday 2 March 2028, 16:00",
    },
    "mentor_next_time": {"next_cohort_hint": "The next cohort opens for applications in January 2028."},
    "gate_waiting": {
        "stage": "matching",
        "summary_text": "40 pairs published\n2 mentees unmatched\nmean score 0.71",
        "decide_command": "mentorflow gate approve 2027-spring matching --by you@northshire.example",
        "waiting_since": "2027-04-01 09:00",
    },
    "gate_reminder": {
        "stage": "matching",
        "days_waiting": 3,
        "decide_command": "mentorflow gate approve 2027-spring matching --by you@northshire.example",
    },
    "gate_escalation": {
        "stage": "matching",
        "days_waiting": 7,
        "decide_command": "mentorflow gate approve 2027-spring matching --by you@northshire.example",
        "approvers": ["director@northshire.example", "hr.lead@northshire.example"],
    },
    "programme_update": {"headline": "Training dates confirmed", "body": "All sessions are booked.\n\nSee you there."},
}


def sample_context(template: str) -> dict:
    return {**COMMON, **SPECIFIC[template]}
