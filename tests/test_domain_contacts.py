"""Contacts between meetings, directly on the domain: logging, answering, replies due in
the recipient's working time, the summary between meetings, reply times, urgent."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from mentorkit.domain import contacts
from mentorkit.domain.availability import set_availability, weekdays_named
from mentorkit.domain.stats import compute
from mentorkit.errors import NotFound, UsageProblem
from mentorkit.file import fileformat
from mentorkit.git import narrator
from mentorkit.timezones import zone
from tests.conftest import make_mentorship, seeded

CHICAGO, LONDON = zone("America/Chicago"), zone("Europe/London")
FRIDAY_5PM = datetime(2026, 11, 27, 17, 0, tzinfo=CHICAGO)


@pytest.fixture
def m():
    return make_mentorship(response_time="2 working days", urgent_response_time=None)


def log(m, topic="Questions on the deposition outline", **kw):
    given = {"sender": "mentor", "channel": "voice message", "sent": FRIDAY_5PM, "by": "mentor",
             "needs_reply": True, "rng": seeded(len(m.contacts) + 1)}  # fmt: skip
    return contacts.log_contact(m, topic, **{**given, **kw})


def test_a_contact_needing_a_reply_is_due_in_the_recipients_working_days(m):
    contact, sentence = log(m)  # mentor in Chicago to the mentee in London
    assert sentence == (
        f'mentor logged voice message {contact.id} "Questions on the deposition outline" '
        "from the mentor to the mentee, needing a reply"
    )
    due = contacts.reply_due(m, contact)
    assert due == datetime(2026, 12, 1, 18, 0, tzinfo=LONDON)  # London's Monday and Tuesday
    tuesday_noon_london = datetime(2026, 12, 1, 12, 0, tzinfo=LONDON)
    assert [a.contact for a in contacts.awaiting(m, tuesday_noon_london)] == [contact]
    assert contacts.overdue(m, tuesday_noon_london) == []
    late = contacts.overdue(m, datetime(2026, 12, 2, 9, 0, tzinfo=LONDON))
    assert [a.contact for a in late] == [contact] and late[0].late_by == timedelta(hours=15)


def test_the_same_message_to_a_chicago_recipient_is_due_tuesday_17_00_chicago(m):
    m.people.mentee.timezone = "America/Chicago"
    contact, _ = log(m)
    assert contacts.reply_due(m, contact) == datetime(2026, 12, 1, 17, 0, tzinfo=CHICAGO)


def test_the_recipients_own_working_days_count(m):
    set_availability(m, "mentee", days="sun-thu", hours="08:00-17:00", by="mentee")
    contact, _ = log(m)  # Friday 23:00 in London: Sunday and Monday are their days
    assert contacts.reply_due(m, contact) == datetime(2026, 11, 30, 17, 0, tzinfo=LONDON)


def test_an_urgent_contact_uses_the_urgent_rule_and_always_needs_a_reply(m):
    m.agreement.urgent_response_time = "4 hours"
    contact, sentence = log(m, "Offer received", urgent=True, needs_reply=False)
    assert contact.reply == "needed" and ", urgent, needing a reply" in sentence
    assert contacts.reply_due(m, contact) == FRIDAY_5PM + timedelta(hours=4)
    m.agreement.urgent_response_time = "same day"  # cannot be read: the response time
    assert contacts.reply_due(m, contact) == datetime(2026, 12, 1, 18, 0, tzinfo=LONDON)


def test_an_answer_logged_with_reply_to_closes_the_original(m):
    question, _ = log(m)
    answer_at = datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)
    answer, sentence = log(m, "Answers", sender="mentee", by="mentee", sent=answer_at,
                           needs_reply=False, reply_to=question.id[:3])  # fmt: skip
    assert answer.reply_to == question.id and sentence.endswith(f"answering {question.id}")
    assert question.reply == "answered" and question.replied == answer_at
    assert contacts.awaiting(m, answer_at + timedelta(days=9)) == []
    assert contacts.state(m, question, answer_at) == "answered after 2 days 11 hours"
    with pytest.raises(UsageProblem, match="already answered"):
        contacts.record_reply(m, question.id, at=answer_at, by="mentee")


def test_the_answer_comes_from_the_recipient_and_not_before_the_question(m):
    question, _ = log(m)
    with pytest.raises(UsageProblem, match="comes from the mentee, not the mentor"):
        log(m, "Me again", reply_to=question.id)
    with pytest.raises(UsageProblem, match="cannot come before"):
        log(m, "Early", sender="mentee", sent=FRIDAY_5PM - timedelta(hours=1), reply_to=question.id)
    with pytest.raises(NotFound):
        log(m, "Nobody", sender="mentee", reply_to="zzzz")


def test_record_reply_closes_it_and_reads_as_the_narrator_tells_it(m):
    question, _ = log(m)
    before = fileformat.mentorship_to_raw(m)
    _, sentence = contacts.record_reply(
        m, question.id, at=FRIDAY_5PM + timedelta(hours=5), by="mentor"
    )
    after = fileformat.mentorship_to_raw(m)
    told = narrator.compare(before, after)
    assert [c.text for c in told] == [sentence.removeprefix("mentor ")]
    assert (told[0].field, told[0].was, told[0].now) == ("reply", "needed", "answered")
    assert sentence == (
        f"mentor recorded the mentee's reply to voice message {question.id} "
        '"Questions on the deposition outline"'
    )


def test_logging_reads_as_the_narrator_tells_it(m):
    before = fileformat.mentorship_to_raw(m)
    _, sentence = log(m, "Offer", urgent=True, link="https://example.com/v/9")
    told = narrator.compare(before, fileformat.mentorship_to_raw(m))
    assert [(c.kind, c.text) for c in told] == [
        ("contact.logged", sentence.removeprefix("mentor "))
    ]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"topic": "  "}, "needs a topic"),
        ({"topic": "two\nlines"}, "one line"),
        ({"topic": "x" * 301}, "301 characters"),
        ({"link": "javascript:alert(1)"}, "--link"),
        ({"link": "https://example.com/\x1b[2J"}, "control characters"),
        ({"channel": "pigeon"}, "the channel is one of"),
        ({"sent": datetime(2026, 11, 27, 17, 0)}, "time zone"),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_added(m, kw, message):
    topic = kw.pop("topic", "Topic")
    with pytest.raises(UsageProblem, match=message):
        log(m, topic, **kw)
    assert m.contacts == []


def test_channels_by_their_short_names():
    assert contacts.channel_named("Voice") == "voice message"
    assert contacts.channel_named("video-message") == "video message"
    assert contacts.channel_named("phone") == "call"


def test_between_meetings_counts_directions_channels_unanswered_and_reply_times(m):
    q1, _ = log(m)
    log(m, "Answer", sender="mentee", by="mentee", needs_reply=False, reply_to=q1.id,
        sent=FRIDAY_5PM + timedelta(hours=3))  # fmt: skip
    q2, _ = log(m, "Mock deposition date", channel="chat", sent=FRIDAY_5PM + timedelta(days=3))
    q3, _ = log(m, "Damages table?", sender="mentee", by="mentee", channel="video",
                sent=FRIDAY_5PM + timedelta(days=3))  # fmt: skip
    contacts.record_reply(m, q3.id, at=FRIDAY_5PM + timedelta(days=4), by="mentor")
    now = FRIDAY_5PM + timedelta(days=10)
    found = contacts.between_meetings(m, now, since=date(2026, 11, 1))
    assert found.total == 4
    assert found.by_direction == {"mentor→mentee": 2, "mentee→mentor": 2}
    assert found.by_channel == {"voice message": 2, "video message": 1, "chat": 1}
    assert [a.contact for a in found.unanswered] == [q2]
    assert found.replies["mentee"].replied == 1 and found.replies["mentee"].median_hours == 3
    assert found.replies["mentee"].unanswered == 1
    assert found.replies["mentor"].median_hours == 24 and found.replies["mentor"].within_agreed == 1
    assert contacts.between_meetings(m, now, since=date(2026, 12, 1)).total == 0
    stats = compute(m, now, now.date())
    assert stats.people["mentee"].median_reply_hours == 3
    assert stats.people["mentee"].replies_overdue_now == 1
    assert stats.people["mentor"].contacts_sent == 2


def test_urgent_now_inside_and_outside_the_other_persons_hours(m):
    set_availability(m, "mentee", urgent_contact="+44 7700 900123 (Signal)", by="mentee")
    m.agreement.urgent_response_time = "2 hours"
    inside = contacts.urgent_now(m, "mentor", datetime(2026, 11, 27, 10, 0, tzinfo=LONDON))
    assert inside.role == "mentee" and inside.inside_hours and inside.next_start is None
    assert inside.channel == "+44 7700 900123 (Signal)"
    assert inside.your_now == datetime(2026, 11, 27, 4, 0, tzinfo=CHICAGO)
    assert inside.reply_due == datetime(2026, 11, 27, 12, 0, tzinfo=LONDON)
    outside = contacts.urgent_now(m, "mentor", datetime(2026, 11, 28, 10, 0, tzinfo=LONDON))
    assert not outside.inside_hours
    assert outside.next_start == datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)


def test_availability_days_and_hours():
    assert weekdays_named("mon-fri") == ["monday", "tuesday", "wednesday", "thursday", "friday"]
    assert weekdays_named("fri-mon") == ["monday", "friday", "saturday", "sunday"]
    assert weekdays_named("mon, wed,thu") == ["monday", "wednesday", "thursday"]
    with pytest.raises(UsageProblem):
        weekdays_named("funday")
    m = make_mentorship()
    sentence = set_availability(m, "mentor", hours="8:00-24:00", days="mon-fri", by="mentor")
    assert m.people.mentor.working_hours == "08:00-24:00"
    assert "working days Monday to Friday" in sentence
    with pytest.raises(UsageProblem, match="end before they start"):
        set_availability(m, "mentor", hours="18:00-09:00", by="mentor")


def test_file_checks_for_contacts(m):
    contact, _ = log(m)
    contact.reply = "answered"  # without when
    contact.link = "https://example.com/\x07"
    contact.reply_to = contact.id
    m.people.mentee.working_hours = "9 to 5"
    problems = dict(fileformat.semantic_problems(m))
    where = f"contacts[{contact.id}]"
    assert "exactly when" in problems[f"{where}.reply"]
    assert "control characters" in problems[f"{where}.link"]
    assert "no other contact" in problems[f"{where}.reply_to"]
    assert "expected working hours" in problems["people.mentee.working_hours"]


def test_the_merge_keeps_contacts_from_both_sides_and_an_id_taken_twice_is_a_conflict(m):
    from mentorkit.git.merging import merge

    base = fileformat.mentorship_to_raw(m)
    ours_m, theirs_m = make_mentorship(), make_mentorship()
    ours_m.id = theirs_m.id = m.id
    log(ours_m, "From the mentor", rng=seeded(1))
    log(theirs_m, "From the mentee", sender="mentee", by="mentee", rng=seeded(2))
    ours, theirs = (fileformat.mentorship_to_raw(x) for x in (ours_m, theirs_m))
    merged = merge(base, ours, theirs)
    assert not merged.conflicts
    assert sorted(c["topic"] for c in merged.raw["contacts"]) == [
        "From the mentee",
        "From the mentor",
    ]
    assert (
        merge(base, theirs, ours).raw["contacts"] == merged.raw["contacts"]
    )  # same bytes both ways
    theirs["contacts"][0]["id"] = ours["contacts"][0]["id"]  # the same ID made on both machines
    assert merge(base, ours, theirs).conflicts


def test_availability_changes_are_told_by_person_in_history(m):
    before = fileformat.mentorship_to_raw(m)
    set_availability(
        m, "mentee", urgent_contact="+44 7700 900123", hours="08:00-16:00", by="mentee"
    )
    told = [c.text for c in narrator.compare(before, fileformat.mentorship_to_raw(m))]
    assert told == [
        'set the urgent contact of the mentee to "+44 7700 900123"',
        'set the working hours of the mentee to "08:00-16:00"',
    ]
    fields = [c.field for c in narrator.compare(before, fileformat.mentorship_to_raw(m))]
    assert fields == ["mentee.urgent_contact", "mentee.working_hours"]


def test_a_program_counts_contacts_by_recipient_and_replies_overdue_unless_withheld(m):
    from mentorkit.domain.program import figures_of, figures_to_data
    from mentorkit.file.model import ProgramSharing

    log(m, "Secret topic", link="https://voice.example/secret")
    log(
        m,
        "Back",
        sender="mentee",
        by="mentee",
        needs_reply=False,
        sent=FRIDAY_5PM + timedelta(hours=1),
    )
    now = FRIDAY_5PM + timedelta(days=6)
    figures = figures_of(m, now, now.date())
    assert (figures.contacts_to_mentee, figures.contacts_to_mentor, figures.replies_overdue) == (
        1,
        1,
        1,
    )
    assert "Secret" not in str(figures_to_data(figures)) and "voice.example" not in str(
        figures_to_data(figures)
    )
    m.program = ProgramSharing(withhold=["contacts"])
    withheld = figures_of(m, now, now.date())
    assert (withheld.contacts_to_mentee, withheld.replies_overdue) == (None, None)
    assert withheld.withheld == ("contacts",)
