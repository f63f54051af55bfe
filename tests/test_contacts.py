"""Contacts between meetings through the command line: both people on two clones of a
bare remote, each under their own git identity, logging and answering with `sync` in
between; replies overdue across time zones and weekends; hostile topics and links; the
calendar export never carries them."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import git
from .test_shared_record import FILE, assert_same_and_valid, setup_pair

# The example: Diane (mentor) in Chicago, Tomás (mentee) in London.


def at(cli, folder: Path, today: str, *args: str):
    return cli("-f", str(folder / FILE), "--today", today, *args)


def ok(cli, folder: Path, today: str, *args: str):
    result = at(cli, folder, today, *args)
    assert result.exit_code == 0, (args, result.output)
    return result


def contact_ids(folder: Path) -> list[str]:
    text = (folder / FILE).read_text(encoding="utf-8")
    return re.findall(r"^- id: (\w+)\n  sent:", text, re.MULTILINE)


def test_both_people_log_and_answer_on_two_clones_with_sync_in_between(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    # Friday 27 November, 17:00 in Chicago (23:00 in London): a voice message to Tomás
    said = ok(cli, mentor, "2026-11-27", "contact", "log", "How did the adjuster call go?",
              "--needs-reply", "--at", "2026-11-27 17:00",
              "--link", "https://drive.example.com/memo/81")  # fmt: skip
    (question,) = contact_ids(mentor)
    assert said.stdout.strip() == (
        f'✓ mentor logged voice message {question} "How did the adjuster call go?" from the '
        "mentor to the mentee, needing a reply"
    )
    assert git(mentor, "log", "-1", "--format=%s").strip() == said.stdout.strip()[2:]
    ok(cli, mentor, "2026-11-27", "sync")
    ok(cli, mentee, "2026-11-27", "sync")
    waiting = json.loads(
        ok(cli, mentee, "2026-11-30", "contact", "list", "--open", "--json").stdout
    )
    assert [c["id"] for c in waiting["data"]] == [question]
    # due in the mentee's working days: London's Monday and Tuesday, to 18:00 GMT
    assert waiting["data"][0]["reply_due"] == "2026-12-01T18:00:00+00:00"
    assert not waiting["data"][0]["overdue"]
    # Wednesday: overdue in status, checkin and the reminders
    status = ok(cli, mentee, "2026-12-02", "status").stdout
    assert "Between meetings" in status
    assert (
        f"reply overdue by 18 hours (due Tue 1 Dec 18:00 GMT): the mentee to answer voice message {question}"
        in status
    )
    brief = ok(cli, mentee, "2026-12-02", "--as", "mentee", "checkin", "--no-input").stdout
    assert f"reply overdue: the mentee to voice message {question}" in brief
    assert "1 contact: mentor→mentee 1, mentee→mentor 0; voice message 1" in brief
    reminders = ok(cli, mentee, "2026-12-02", "remind", "--dry-run", "--now", "2026-12-02T10:00Z")
    assert "reminder of a reply overdue to the mentee" in reminders.stdout
    # the mentee answers by video message, logged as the answer
    answered = ok(cli, mentee, "2026-12-02", "note", "Adjuster call: they offered 40k",
                  "--channel", "video", "--reply-to", question[:3], "--at", "2026-12-02 09:30")  # fmt: skip
    assert f"answering {question}" in answered.stdout
    ok(cli, mentee, "2026-12-02", "sync")
    ok(cli, mentor, "2026-12-02", "sync")
    assert_same_and_valid(cli, mentor, mentee)
    listed = ok(cli, mentor, "2026-12-02", "contact", "list").stdout
    assert "answered after 4 days 10 hours" in listed
    assert ok(cli, mentor, "2026-12-02", "contact", "list", "--open").stdout.startswith(
        "no contacts"
    )
    # the commit messages are history's sentences, under each person's identity
    events = json.loads(cli("-f", str(mentor / FILE), "history", "--json").stdout)["data"]
    told = [(e["role"], e["kind"], e["text"]) for e in events if e["kind"].startswith("contact")]
    (answer,) = [c for c in contact_ids(mentor) if c != question]
    assert told == [
        ("mentor", "contact.logged",
         f'logged voice message {question} "How did the adjuster call go?" from the mentor to the mentee, needing a reply'),
        ("mentee", "contact.answered",
         f"recorded the mentee's reply to voice message {question} \"How did the adjuster call go?\""),
        ("mentee", "contact.logged",
         f'logged video message {answer} "Adjuster call: they offered 40k" from the mentee to the mentor, answering {question}'),
    ]  # fmt: skip
    message = git(mentor, "log", "--format=%an|%B", "-1", "--no-merges").strip()
    assert message.replace("\n\n", "\n").splitlines() == [
        f"Tomás|mentee {told[1][2]}",
        f"mentee {told[2][2]}",
    ]
    stats = json.loads(ok(cli, mentor, "2026-12-02", "stats", "--json").stdout)["data"]
    assert stats["people"]["mentee"]["replied"] == 1
    assert stats["people"]["mentee"]["median_reply_hours"] == 106.5
    assert stats["people"]["mentee"]["replied_within_agreed"] == 0


def test_contacts_logged_at_once_on_both_clones_merge_and_both_stay(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentor, "2026-11-26", "note", "Good luck with the mediation", "-c", "chat")
    ok(cli, mentee, "2026-11-26", "note", "Question on the damages table", "--needs-reply")
    ok(cli, mentee, "2026-11-26", "contact", "log", "Call about the offer", "-c", "call",
       "--from", "mentor")  # fmt: skip
    ok(cli, mentor, "2026-11-26", "sync")
    ok(cli, mentee, "2026-11-26", "sync")
    ok(cli, mentor, "2026-11-26", "sync")
    assert_same_and_valid(cli, mentor, mentee)
    data = json.loads(ok(cli, mentor, "2026-11-26", "contact", "list", "--json").stdout)["data"]
    assert sorted(c["topic"] for c in data) == [
        "Call about the offer", "Good luck with the mediation", "Question on the damages table"
    ]  # fmt: skip
    assert json.loads(ok(cli, mentor, "2026-11-26", "contact", "list", "--from", "mentor",
                         "--channel", "call", "--json").stdout)["data"][0]["from"] == "mentor"  # fmt: skip


def test_a_reply_recorded_on_both_clones_at_different_times_is_a_conflict(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentor, "2026-11-26", "note", "Question", "--needs-reply", "--at", "09:00")
    ok(cli, mentor, "2026-11-26", "sync")
    ok(cli, mentee, "2026-11-26", "sync")
    (question,) = contact_ids(mentor)
    ok(cli, mentor, "2026-11-26", "contact", "reply", question, "--at", "10:00")
    ok(cli, mentee, "2026-11-26", "contact", "reply", question, "--at", "18:00")
    ok(cli, mentee, "2026-11-26", "sync")
    result = at(cli, mentor, "2026-11-26", "sync")
    assert result.exit_code == 6 and f"contacts[{question}]" in result.stderr
    git(mentor, "merge", "--abort")


def test_status_and_urgent_in_both_local_times(cli, example: Path):
    f = str(example)
    assert cli("-f", f, "--as", "mentee", "--no-commit", "availability", "set",
               "--urgent-contact", "+44 7700 900123 (Signal)", "--hours", "08:30-17:30").exit_code == 0  # fmt: skip
    assert cli("-f", f, "--as", "mentee", "--no-commit", "rules", "set", "urgent_response_time",
               "3 hours").exit_code == 0  # fmt: skip
    assert "urgent response    3 hours" in cli("-f", f, "rules").stdout
    warned = cli(
        "-f", f, "--as", "mentee", "--no-commit", "rules", "set", "response_time", "same day"
    )
    assert warned.exit_code == 0 and "'same day' is not a time like" in warned.stderr
    inside = cli("-f", f, "--as", "mentor", "urgent", "--now", "2026-11-27T15:00Z").stdout
    assert "Tomás Okonkwo-Reyes (mentee)" in inside
    assert "their time  Fri 27 Nov 2026, 15:00 GMT" in inside
    assert "your time   Fri 27 Nov 2026, 09:00 CST (mentor)" in inside
    assert "inside their working hours now" in inside
    assert "reach them: +44 7700 900123 (Signal)" in inside
    assert (
        "within 3 hours: by Fri 27 Nov 2026, 18:00 GMT (Fri 27 Nov 2026, 12:00 CST for you)"
        in inside
    )
    outside = cli("-f", f, "--as", "mentor", "urgent", "--now", "2026-11-27T23:00Z").stdout
    assert "outside their working hours now" in outside
    assert (
        "they start again Mon 30 Nov 2026, 08:30 GMT (Mon 30 Nov 2026, 02:30 CST for you)"
        in outside
    )
    shown = json.loads(cli("-f", f, "availability", "show", "--json").stdout)["data"]
    assert shown["people"]["mentee"]["working_hours"] == "08:30–17:30"
    assert shown["urgent_response_time"] == "3 hours"


def test_validate_warns_about_a_response_time_it_cannot_count(cli, example: Path):
    text = example.read_text(encoding="utf-8")
    example.write_text(
        re.sub(r"response_time: .*", "response_time: as soon as we can", text, count=1),
        encoding="utf-8",
    )
    result = cli("validate", str(example))
    assert result.exit_code == 0
    assert "'as soon as we can' is not a time like '2 working days'" in result.stderr


@pytest.mark.parametrize("rule", ["99999999999 working days", "3000000 days", "999 weeks"])
def test_a_response_time_beyond_a_year_is_not_counted_and_crashes_nothing(cli, example: Path, rule):
    assert cli("--as", "mentor", "rules", "set", "response_time", rule).exit_code == 0
    ok_note = cli("--as", "mentee", "--today", "2026-11-30", "note", "q", "--needs-reply",
                  "--at", "2026-11-27 17:00")  # fmt: skip
    assert ok_note.exit_code == 0, ok_note.output
    for args in (["checkin"], ["remind", "--dry-run"], ["status"], ["contact", "list"]):
        result = cli("--as", "mentor", "--today", "2026-12-10", *args)
        assert result.exit_code == 0, (args, result.output)
    listed = cli("--today", "2026-11-30", "contact", "list").stdout
    assert "Tue 1 Dec" in listed  # counted against 2 working days, as the warning says
    assert "(up to a year)" in cli("validate").stderr


HOSTILE_TOPICS = [
    "\x1b]52;c;ZWNobyBwd25lZA==\x07 clipboard",
    "\x1b[2J\x1b[H cleared",
    "\u202eevil\u202c bidi",
    "yes",
    "- id: zzzz",
    "&anchor *alias !!python/object:os.system",
    "{a: 1}",
    "# not a comment",
    "null",
]


@pytest.mark.parametrize("topic", HOSTILE_TOPICS)
def test_hostile_topics_are_kept_as_typed_and_shown_literally(cli, example: Path, topic):
    f = str(example)
    result = cli("-f", f, "--as", "mentor", "--no-commit", "note", "--", topic)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    listed = cli("-f", f, "contact", "list")
    assert "\x1b" not in listed.stdout and "\u202e" not in listed.stdout
    data = json.loads(cli("-f", f, "contact", "list", "--json").stdout)["data"]
    assert data[-1]["topic"] == topic  # the JSON reader gets the text back exactly
    assert cli("validate", f).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--link", "https://example.com/\x1b[31m"], "control characters"),
        (["--link", "javascript:alert(1)"], "links are refused"),
        (["--link", "https://x.example/" + "a" * 2100], "longer than mentorkit keeps"),
        (["--channel", "fax"], "the channel is one of"),
        (["--at", "2099-01-01 10:00"], "in the future"),
        (["--at", "teatime"], "is not a time"),
    ],
)
def test_bad_options_are_refused_with_the_file_as_it_was(cli, example: Path, args, message):
    before = example.read_bytes()
    result = cli("-f", str(example), "--as", "mentor", "note", "Topic", *args)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert example.read_bytes() == before


def test_a_huge_topic_is_refused(cli, example: Path):
    result = cli("-f", str(example), "--as", "mentor", "note", "x" * 100_000)
    assert result.exit_code == 2 and "keep it under 300" in result.stderr


CONTACT = """contacts:
- id: c2x9
  sent: 2026-11-27T17:00-06:00
  from: mentor
  to: mentee
  channel: voice message
  topic: Question
  urgent: false
  reply: needed
"""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("urgent: false", "urgent: yes"), "contacts[c2x9].urgent: expected true or false"),
        (("sent: 2026-11-27T17:00-06:00", "sent: 2026-11-27T17:00"), "contacts[c2x9].sent"),
        (("topic: Question", 'topic: "a\\u001b]8;;x\\u0007\\nb"'), "contacts[c2x9].topic"),
        (("  reply: needed\n", "  reply: needed\n  link: 'javascript:x'\n"), "contacts[c2x9].link"),
        (("to: mentee", "to: mentor"), "contacts[c2x9].to"),
        (("channel: voice message", "channel: telegram"), "contacts[c2x9].channel"),
        (("reply: needed", "reply: answered"), "contacts[c2x9].reply"),
        (("  reply: needed\n", "  reply: needed\n  reply_to: c2x9\n"), "contacts[c2x9].reply_to"),
        (
            ("  reply: needed\n", "  reply: answered\n  replied: 2026-11-27T16:00-06:00\n"),
            "contacts[c2x9].replied: the reply comes before",
        ),
    ],
)
def test_a_hand_written_contact_that_is_wrong_is_one_sentence_naming_its_field(
    cli, example: Path, change, field
):
    text = example.read_text(encoding="utf-8") + CONTACT.replace(*change)
    example.write_text(text, encoding="utf-8")
    result = cli("-f", str(example), "contact", "list")
    assert result.exit_code == 4, result.output
    assert field in result.stderr and "line" in result.stderr
    assert example.read_text(encoding="utf-8") == text


ANSWER = """- id: d3y8
  sent: 2026-11-28T10:00+00:00
  from: mentee
  to: mentor
  channel: chat
  topic: Answer
  urgent: false
  reply: not needed
  reply_to: c2x9
"""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("from: mentee\n  to: mentor", "from: mentor\n  to: mentee"),
         "contacts[d3y8].reply_to: contact c2x9 went to the mentee, so its answer must come from the mentee"),
        (("2026-11-28T10:00+00:00", "2026-11-27T10:00+00:00"),
         "contacts[d3y8].reply_to: this answer was sent before contact c2x9"),
        (("topic: Answer", "topic: " + "a" * 500), "contacts[d3y8].topic: the topic has 500"),
    ],
)  # fmt: skip
def test_validate_checks_an_answer_as_the_commands_do(cli, example: Path, change, field):
    text = example.read_text(encoding="utf-8") + CONTACT + ANSWER.replace(*change)
    example.write_text(text, encoding="utf-8")
    result = cli("validate", str(example))
    assert result.exit_code == 1, result.output
    assert field in result.stderr and "line" in result.stderr
    assert example.read_text(encoding="utf-8") == text


def test_validate_refuses_answers_that_go_round_in_a_loop(cli, example: Path):
    looped = CONTACT.replace("  reply: needed\n", "  reply: needed\n  reply_to: d3y8\n")
    looped = looped.replace("2026-11-27T17:00-06:00", "2026-11-28T10:00+00:00")
    answer = ANSWER.replace("reply: not needed", "reply: needed")
    example.write_text(example.read_text(encoding="utf-8") + looped + answer, encoding="utf-8")
    result = cli("validate", str(example))
    assert result.exit_code == 1 and "go round in a loop" in result.stderr, result.output


@pytest.mark.parametrize(
    "args",
    [
        ["note", "x", "--at", "0001-01-01T00:00+00:00"],
        ["note", "x", "--at", "0001-01-01T00:00+14:00"],
        ["note", "x", "--at", "9999-12-31 23:59"],
        ["urgent", "--now", "9999-12-31T23:00Z"],
        ["urgent", "--now", "0001-01-01T00:00+14:00"],
    ],
)
def test_moments_beyond_the_dates_kept_are_refused_not_a_crash(cli, example: Path, args):
    before = example.read_bytes()
    result = cli("--as", "mentor", "--today", "2026-11-30", *args)
    assert result.exit_code == 2, result.output
    assert "outside the dates mentorkit keeps (1900 to 2200)" in result.stderr
    assert example.read_bytes() == before


def test_a_reply_far_in_the_past_is_refused_not_a_crash(cli, example: Path):
    ok = cli("--as", "mentor", "--today", "2026-11-30", "note", "question", "--needs-reply",
             "--at", "2026-11-27 17:00")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    result = cli("--as", "mentee", "--today", "2026-11-30", "contact", "reply", "/question/",
                 "--at", "0001-01-01T00:00+14:00")  # fmt: skip
    assert result.exit_code == 2 and "outside the dates" in result.stderr, result.output


def test_at_and_urgent_now_are_both_in_your_zone(cli, example: Path):
    shown = cli("--as", "mentor", "urgent", "--now", "2026-11-27 12:00").stdout
    assert "Fri 27 Nov 2026, 12:00 CST (mentor)" in shown  # Diane is in Chicago
    assert "Fri 27 Nov 2026, 18:00 GMT" in shown
    # with an offset, the offset counts
    assert "Fri 27 Nov 2026, 12:00 GMT" in cli("--as", "mentor", "urgent", "--now",
                                                "2026-11-27T12:00Z").stdout  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("friday 9:30", "2026-11-27T09:30-06:00"),  # the latest Friday, a Monday after it
        ("last friday 9:30", "2026-11-27T09:30-06:00"),
        ("monday 8:00", "2026-11-30T08:00-06:00"),  # today
        ("last monday 8:00", "2026-11-23T08:00-06:00"),
        ("yesterday 17:00", "2026-11-29T17:00-06:00"),
        ("now", "2026-11-30T06:00-06:00"),  # --today is 12:00 UTC
    ],
)
def test_at_takes_the_forms_its_message_suggests(cli, example: Path, typed, kept):
    result = cli("--as", "mentor", "--today", "2026-11-30", "note", "t", "--at", typed)
    assert result.exit_code == 0, result.output
    assert f"sent: {kept}\n" in example.read_text(encoding="utf-8")


def test_a_time_that_cannot_be_read_suggests_forms_that_work(cli, example: Path):
    result = cli("--as", "mentor", "--today", "2026-11-30", "note", "t", "--at", "xyz")
    assert result.exit_code == 2 and "'last friday 9:30'" in result.stderr
    assert "'friday 9:30'" not in result.stderr.replace("'last friday 9:30'", "")


def test_a_local_time_the_clocks_skip_is_refused_and_a_due_time_in_it_shown_as_it_is(
    cli, example: Path
):
    before = example.read_bytes()
    gap = cli("--as", "mentor", "--today", "2027-03-20", "note", "gap", "--at", "2027-03-14 02:30")
    assert gap.exit_code == 2, gap.output
    assert "2027-03-14 02:30 does not exist in America/Chicago" in gap.stderr
    assert "say 03:30 (CDT)" in gap.stderr
    assert example.read_bytes() == before
    assert cli("--as", "mentor", "rules", "set", "response_time", "1 day").exit_code == 0
    logged = cli("--as", "mentee", "--today", "2027-03-13", "note", "DST test", "--needs-reply",
                 "--at", "2027-03-13T08:30Z")  # fmt: skip
    assert logged.exit_code == 0, logged.output
    listed = cli("--today", "2027-03-13", "contact", "list").stdout
    assert "reply due Sun 14 Mar 03:30 CDT" in listed and "02:30" not in listed
    status = cli("--as", "mentor", "--today", "2027-03-13", "status").stdout
    assert "reply due Sun 14 Mar 03:30 CDT: the mentor to answer" in status
    data = json.loads(cli("--today", "2027-03-13", "contact", "list", "--json").stdout)
    assert data["data"][0]["reply_due"] == "2027-03-14T03:30:00-05:00"


def test_replies_overdue_in_the_plural_and_a_contact_needing_none_has_none_to_record(
    cli, example: Path
):
    for topic in ("one", "two"):
        assert cli("--as", "mentor", "--today", "2026-11-30", "note", topic, "--needs-reply",
                   "--at", "2026-11-20 10:00").exit_code == 0  # fmt: skip
    assert cli("--as", "mentor", "--today", "2026-11-30", "note", "fyi").exit_code == 0
    listed = cli("--today", "2026-11-30", "contact", "list").stdout
    assert "3 contacts, 2 replies overdue" in listed
    refused = cli("--as", "mentee", "--today", "2026-11-30", "contact", "reply", "/fyi/")
    assert refused.exit_code == 2 and "needing no reply" in refused.stderr
    answered = cli("--as", "mentee", "--today", "2026-11-30", "contact", "reply", "/one/")
    assert answered.exit_code == 0
    again = cli("--as", "mentee", "--today", "2026-11-30", "contact", "reply", "/one/")
    assert "already answered on Mon 30 Nov 2026, 12:00 GMT" in again.stderr


def test_a_due_date_in_another_year_shows_the_year(cli, example: Path):
    assert cli("--as", "mentor", "rules", "set", "response_time", "52 weeks").exit_code == 0
    assert cli("--as", "mentor", "--today", "2026-11-30", "note", "q", "--needs-reply",
               "--at", "2026-11-27 17:00").exit_code == 0  # fmt: skip
    assert "reply due Fri 26 Nov 2027 23:00 GMT" in cli("--today", "2026-11-30", "contact",
                                                         "list").stdout  # fmt: skip


def test_history_tells_a_contact_marked_urgent_in_a_sentence():
    from mentorkit.git.narrator import value_changes

    (change,) = value_changes("contact", "c2x9", "urgent", 'contact c2x9 "Q"', False, True)
    assert change.text == 'marked contact c2x9 "Q" urgent'


def test_the_calendar_export_never_carries_topics_or_links(cli, example: Path):
    f = str(example)
    assert cli("-f", f, "--as", "mentee", "--no-commit", "note", "Private: the settlement figure",
               "--needs-reply", "--link", "https://voice.example/secret-memo").exit_code == 0  # fmt: skip
    assert cli("-f", f, "--as", "mentee", "--no-commit", "availability", "set",
               "--urgent-contact", "+44 7700 900123").exit_code == 0  # fmt: skip
    ics = cli("-f", f, "export", "ics", "-o", "-").stdout
    assert "BEGIN:VCALENDAR" in ics
    for secret in ("settlement figure", "secret-memo", "voice.example", "7700 900123"):
        assert secret not in ics.replace("\r\n ", "")


def test_a_contact_in_the_file_survives_a_rewrite_byte_for_byte(cli, example: Path):
    example.write_text(example.read_text(encoding="utf-8") + CONTACT, encoding="utf-8")
    before = example.read_text(encoding="utf-8")
    assert (
        cli("-f", str(example), "--as", "mentee", "--no-commit", "agenda", "add", "X").exit_code
        == 0
    )
    after = example.read_text(encoding="utf-8")
    assert CONTACT in after and after.startswith(before[: before.index("contacts:")].rstrip()[:200])


def test_textconv_shows_a_contact_field_by_field(cli, repo: Path):
    assert cli("--as", "mentor", "note", "Quick question", "--needs-reply").exit_code == 0
    shown = subprocess.run(
        ["git", "log", "-p", "-1"], cwd=repo, capture_output=True, text=True
    ).stdout
    assert "topic" in shown and "Quick question" in shown


def test_a_new_mentorship_counts_urgent_contacts_by_its_urgent_rule(cli, isolated: Path):
    from .conftest import INIT_FLAGS

    assert cli("--as", "mentor", "init", "--no-input", "--no-git", *INIT_FLAGS).exit_code == 0
    path = isolated / FILE
    assert "  urgent_response_time: 12 hours\n" in path.read_text(encoding="utf-8")
    assert "urgent" not in cli("validate", str(path)).stderr
    urgent = cli("--as", "mentor", "urgent", "--now", "2026-11-27T23:00Z").stdout
    assert "within 12 hours" in urgent
    # without the urgent rule, validate and rules say that urgent contacts count as others
    text = path.read_text(encoding="utf-8").replace("  urgent_response_time: 12 hours\n", "")
    path.write_text(text, encoding="utf-8")
    for args in (["validate", str(path)], ["--as", "mentor", "rules"]):
        assert "urgent contacts are counted like ordinary ones" in cli(*args).stderr, args


def test_setting_a_rule_to_the_value_it_has_says_nothing_changed(cli, example: Path):
    first = cli("--as", "mentor", "rules", "set", "urgent_response_time", "4 hours")
    assert first.stdout.strip() == "✓ mentor changed the rule urgent response time"
    again = cli("--as", "mentor", "rules", "set", "urgent_response_time", "4 hours")
    assert again.exit_code == 0
    assert (
        again.stdout.strip()
        == "✓ the rule urgent response time is already '4 hours'; nothing changed"
    )


def test_a_contact_logged_that_evening_with_today_shows_in_status(cli, example: Path):
    logged = cli("--as", "mentor", "--today", "2026-11-30", "note", "evening", "--needs-reply",
                 "--at", "2026-11-30 20:00")  # fmt: skip
    assert logged.exit_code == 0, logged.output
    assert "evening" in cli("--as", "mentor", "--today", "2026-11-30", "status").stdout
    assert "evening" not in cli("--as", "mentor", "--today", "2026-11-29", "status").stdout
