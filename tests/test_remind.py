"""`remind`: a real SMTP server (STARTTLS, AUTH) receives each reminder once, at the right
local hour for each person, however often and from however many clones `remind` runs."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from mentorkit.domain.reminders import NO_QUIET, due_reminders, quiet_hours
from mentorkit.file.storage import load
from tests.conftest import EXAMPLE, git
from tests.smtpserver import PASSWORD, MailServer, configure

MENTOR = "diane.whitaker@example.com"
MENTEE = "tomas.okonkwo@example.co.uk"
BRIEF_TIME = "2026-11-30T16:30Z"  # a day before the 1 Dec meeting; a Monday (digest)
FRIDAY = "2026-11-27"  # the feedback day


def _keys(server):
    return Counter((r.message["X-Mentorkit-Reminder"], tuple(r.rcpt_tos)) for r in server.received)


def _at(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --------------------------------------------------------------------------- the domain


def test_the_feedback_nudge_comes_at_eight_in_each_persons_own_zone():
    m = load(EXAMPLE).mentorship
    at = lambda t: [d.key for d in due_reminders(m, _at(t), quiet=NO_QUIET)]  # noqa: E731
    assert at(f"{FRIDAY}T07:59Z") == []
    assert at(f"{FRIDAY}T08:00Z") == [f"feedback:{FRIDAY}:mentee"]  # 08:00 in London
    assert at(f"{FRIDAY}T13:59Z") == [f"feedback:{FRIDAY}:mentee"]
    assert at(f"{FRIDAY}T14:00Z") == [f"feedback:{FRIDAY}:mentor", f"feedback:{FRIDAY}:mentee"]
    sent = {f"feedback:{FRIDAY}:mentee"}
    assert [d.key for d in due_reminders(m, _at(f"{FRIDAY}T14:00Z"), sent=sent)] == [
        f"feedback:{FRIDAY}:mentor"
    ]


def test_quiet_hours_hold_a_reminder_until_they_end():
    m = load(EXAMPLE).mentorship
    late = quiet_hours("21:00-09:00")
    assert due_reminders(m, _at(f"{FRIDAY}T08:30Z"), quiet=late) == []
    assert [d.key for d in due_reminders(m, _at(f"{FRIDAY}T09:00Z"), quiet=late)] == [
        f"feedback:{FRIDAY}:mentee"
    ]
    with pytest.raises(Exception, match="like 21:00-08:00"):
        quiet_hours("late")


def test_the_brief_a_day_before_and_the_digest_only_with_overdue_items():
    m = load(EXAMPLE).mentorship
    keys = [d.key for d in due_reminders(m, _at(BRIEF_TIME))]
    assert keys == [
        "brief:2026-12-01T16:00Z:mentor",
        "brief:2026-12-01T16:00Z:mentee",
        "digest:2026-W49:mentee",  # the mentor has nothing overdue
    ]
    assert [d.key for d in due_reminders(m, _at("2026-11-30T15:59Z"))] == ["digest:2026-W49:mentee"]
    # the meeting has begun: no brief; the digest goes until Wednesday night
    assert [d.key for d in due_reminders(m, _at("2026-12-01T16:00Z"))] == ["digest:2026-W49:mentee"]
    assert due_reminders(m, _at("2026-12-03T00:00Z")) == []


def test_a_follow_up_not_sent_within_the_response_time():
    m = load(EXAMPLE).mentorship
    # the 3 Nov meeting ended 11:00 Chicago (17:00 UTC); two working days later
    assert due_reminders(m, _at("2026-11-05T16:59Z")) == []
    found = due_reminders(m, _at("2026-11-05T17:00Z"))
    assert [d.key for d in found] == ["followup:m4xj:due:mentor", "followup:m4xj:due:mentee"]
    m.meetings[-1].followup_sent = _at("2026-11-04T10:00Z")
    assert due_reminders(m, _at("2026-11-05T17:00Z")) == []


@pytest.mark.parametrize(
    ("rule", "due"),
    [
        ("4 working hours", "2026-11-03T21:00Z"),  # 11:00 Chicago + 4 hours of work
        ("same day", "2026-11-05T17:00Z"),  # not a time: 2 working days, as for contacts
        ("99999999999 working days", "2026-11-05T17:00Z"),
        ("3000000 days", "2026-11-05T17:00Z"),
        ("1 day", "2026-11-04T17:00Z"),
    ],
)
def test_the_follow_up_reads_the_response_time_as_contacts_do(rule, due):
    from mentorkit.domain.reminders import followup_due_at

    m = load(EXAMPLE).mentorship
    m.agreement.response_time = rule
    assert followup_due_at(m, m.meetings[-1]) == _at(due)
    # a Friday meeting waits for the working week, in the person's own working days
    m.people.mentor.working_days = ["monday", "tuesday", "wednesday", "thursday"]
    m.agreement.response_time = "1 working day"
    assert followup_due_at(m, m.meetings[-1]) == _at("2026-11-04T17:00Z")
    assert due_reminders(m, _at("2026-12-10T12:00Z")) is not None


def test_the_reply_reminder_tells_when_it_was_sent_in_the_recipients_zone():
    from mentorkit.domain.contacts import log_contact
    from mentorkit.views.reminders import body

    m = load(EXAMPLE).mentorship
    m.agreement.response_time = "1 day"
    log_contact(m, "Question", sender="mentor", channel="voice", sent=_at("2026-12-01T12:00Z"),
                by="mentor", needs_reply=True)  # fmt: skip
    m.contacts[-1].sent = datetime.fromisoformat("2026-12-01T06:00-06:00")  # as the file has it
    (due,) = [d for d in due_reminders(m, _at("2026-12-03T12:00Z")) if d.kind == "reply"]
    text = body(m, due, None)
    assert "sent on Tue 1 Dec 2026, 12:00 GMT needs your reply" in text
    assert "UTC-06:00" not in text


def test_checkin_names_the_last_follow_up_not_sent_in_time():
    from mentorkit.domain.reminders import followup_overdue

    m = load(EXAMPLE).mentorship
    assert followup_overdue(m, _at("2026-11-05T16:59Z")) is None
    assert followup_overdue(m, _at("2026-11-05T17:00Z")).date.isoformat() == "2026-11-03"
    m.meetings[-1].followup_sent = _at("2026-11-04T10:00Z")
    assert followup_overdue(m, _at("2026-11-26T12:00Z")) is None


def test_the_review_is_announced_a_week_ahead():
    m = load(EXAMPLE).mentorship
    assert [d.key for d in due_reminders(m, _at("2026-08-25T13:00Z"))] == [
        "review:2026-09-01:mentor",
        "review:2026-09-01:mentee",
    ]


# --------------------------------------------------------------------------- by email


def test_each_reminder_goes_once_to_its_person_alone(cli, mailing, server):
    run = cli("remind", "--now", BRIEF_TIME)
    assert run.exit_code == 0, run.output
    assert _keys(server) == {
        ("brief:2026-12-01T16:00Z:mentor", (MENTOR,)): 1,
        ("brief:2026-12-01T16:00Z:mentee", (MENTEE,)): 1,
        ("digest:2026-W49:mentee", (MENTEE,)): 1,
    }
    by_key = {r.message["X-Mentorkit-Reminder"]: r.message for r in server.received}
    brief = by_key["brief:2026-12-01T16:00Z:mentee"]
    assert brief["To"] == f"Tomás Okonkwo-Reyes <{MENTEE}>"
    assert brief["Subject"] == "Check-in before the meeting on Tue 1 Dec 2026, 16:00 GMT"
    assert by_key["brief:2026-12-01T16:00Z:mentor"]["Subject"] == (
        "Check-in before the meeting on Tue 1 Dec 2026, 10:00 CST"
    )
    assert brief.get_content_type() == "text/plain" and brief.get_content_charset() == "utf-8"
    text = brief.get_content().replace("\r\n", "\n")
    assert text.startswith("Hello Tomás Okonkwo-Reyes,\n")
    assert text.index("Your open items") < text.index("Agenda:") < text.index("Since ")
    for again in ("2026-11-30T16:45Z", "2026-11-30T20:00Z"):
        assert cli("remind", "--now", again).exit_code == 0
    assert len(server.received) == 3
    logged = subprocess.run(
        ["git", "log", "-p", "--all"], cwd=mailing, capture_output=True, text=True
    ).stdout
    assert PASSWORD not in logged and PASSWORD not in run.output


def test_an_address_that_reads_as_an_option_blocks_no_one_else(cli, mailing, server):
    path = mailing / "mentorship.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(MENTOR, "-oQ/tmp/x@example.com"),
        encoding="utf-8",
    )
    git(mailing, "commit", "-qam", "hand edit")
    run = cli("remind", "--now", BRIEF_TIME)
    assert run.exit_code == 75, run.output
    assert "not sent to -oQ/tmp/x@example.com" in run.stderr
    assert sorted(_keys(server)) == [
        ("brief:2026-12-01T16:00Z:mentee", (MENTEE,)),
        ("digest:2026-W49:mentee", (MENTEE,)),
    ]


def test_08_00_london_and_08_00_chicago(cli, mailing, server):
    assert cli("remind", "--now", f"{FRIDAY}T07:59Z").exit_code == 0
    assert server.received == []
    assert cli("remind", "--now", f"{FRIDAY}T08:00Z").exit_code == 0
    assert [r.rcpt_tos for r in server.received] == [[MENTEE]]
    assert cli("remind", "--now", f"{FRIDAY}T13:59Z").exit_code == 0
    assert len(server.received) == 1
    assert cli("remind", "--now", f"{FRIDAY}T14:00Z").exit_code == 0
    assert [r.rcpt_tos for r in server.received] == [[MENTEE], [MENTOR]]
    assert server.received[1].message["Subject"] == "Feedback day: a word for Tomás Okonkwo-Reyes"


def test_a_refused_recipient_is_retried_and_the_other_not_sent_twice(cli, mailing, server):
    server.handler.defer.add(MENTEE)
    run = cli("remind", "--now", BRIEF_TIME)
    assert run.exit_code == 75
    assert f"not sent to {MENTEE}" in run.stderr and "the next run tries again" in run.stderr
    assert [r.rcpt_tos for r in server.received] == [[MENTOR]]
    server.handler.defer.clear()
    assert cli("remind", "--now", "2026-11-30T17:00Z").exit_code == 0
    assert sorted(k for k, _ in _keys(server)) == [
        "brief:2026-12-01T16:00Z:mentee",
        "brief:2026-12-01T16:00Z:mentor",
        "digest:2026-W49:mentee",
    ]
    assert max(_keys(server).values()) == 1


def test_a_server_that_is_down_sends_and_records_nothing_and_the_next_run_sends(
    cli, mailing, server
):
    server.stop()
    run = cli("remind", "--now", BRIEF_TIME)
    assert run.exit_code == 75 and "could not reach the mail server" in run.stderr
    record = git(mailing, "show", "refs/mentorkit/sent:sent")
    assert "\tsent\t" not in record and record.count("\treleased\t") == 3
    server.start()
    assert cli("remind", "--now", "2026-11-30T17:00Z").exit_code == 0
    assert len(server.received) == 3


def test_dry_run_and_outbox_send_nothing(cli, mailing, server, tmp_path):
    dry = cli("remind", "--dry-run", "--now", BRIEF_TIME)
    assert dry.exit_code == 0
    assert dry.stdout.splitlines()[0] == (
        "would send the check-in brief to the mentor, Diane Whitaker, "
        f"{MENTOR}: Check-in before the meeting on Tue 1 Dec 2026, 10:00 CST"
    )
    outbox = tmp_path / "outbox"
    wrote = cli("remind", "--outbox", str(outbox), "--now", BRIEF_TIME)
    assert wrote.exit_code == 0, wrote.output
    assert sorted(p.name for p in outbox.iterdir()) == [
        "brief_2026-12-01T16_00Z_mentee.eml",
        "brief_2026-12-01T16_00Z_mentor.eml",
        "digest_2026-W49_mentee.eml",
    ]
    assert server.received == []
    assert cli("remind", "--dry-run", "--now", BRIEF_TIME).stdout == "nothing is due\n"


def test_check_connects_and_logs_in(cli, mailing, server):
    ok = cli("remind", "--check")
    assert ok.exit_code == 0
    assert f"connected to 127.0.0.1:{server.port} (tls, logged in as diane-smtp)" in ok.stdout
    configure(mailing, server, password="wrong")
    refused = cli("remind", "--check")
    assert refused.exit_code == 78 and "refused the login of diane-smtp" in refused.stderr
    server.stop()
    down = cli("remind", "--check")
    server.start()
    assert down.exit_code == 75


def _clone(remote: Path, folder: Path, server: MailServer, email: str) -> Path:
    subprocess.run(["git", "clone", "-q", str(remote), str(folder)], check=True)
    git(folder, "config", "user.name", "Someone")
    git(folder, "config", "user.email", email)
    configure(folder, server)
    return folder


def test_two_clones_running_at_once_send_each_reminder_once(mailing, server, tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(mailing), str(remote)], check=True)
    clones = [
        _clone(remote, tmp_path / "diane", server, MENTOR),
        _clone(remote, tmp_path / "tomas", server, MENTEE),
    ]
    for moment in (BRIEF_TIME, f"{FRIDAY}T14:00Z"):
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "mentorkit", "remind", "--now", moment],
                cwd=clone,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for clone in clones
            for _ in range(3)
        ]
        for run in runs:
            _, err = run.communicate(timeout=120)
            assert run.returncode == 0, err
    keys = _keys(server)
    assert max(keys.values()) == 1
    assert sorted(k for k, _ in keys) == [
        "brief:2026-12-01T16:00Z:mentee",
        "brief:2026-12-01T16:00Z:mentor",
        "digest:2026-W49:mentee",
        f"feedback:{FRIDAY}:mentee",
        f"feedback:{FRIDAY}:mentor",
    ]


def test_what_a_clone_sent_before_it_had_a_remote_is_not_sent_again(cli, mailing, server, tmp_path):
    assert cli("remind", "--now", BRIEF_TIME).exit_code == 0
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(mailing, "remote", "add", "origin", str(remote))
    assert cli("remind", "--now", "2026-11-30T18:00Z").exit_code == 0
    assert len(server.received) == 3
    assert cli("remind", "--now", "2026-12-04T14:00Z").exit_code == 0  # a feedback day
    assert len(server.received) == 5
    record = git(remote, "show", "refs/mentorkit/sent:sent")
    assert "digest:2026-W49:mentee\tsent" in record
    assert "feedback:2026-12-04:mentor\tsent" in record
    holder = git(mailing, "config", "user.email").strip()
    assert all(line.split("\t")[3].startswith(f"{holder}@") for line in record.splitlines())


def test_mail_sent_while_the_remote_went_away_is_recorded_on_the_next_run(
    cli, mailing, server, tmp_path
):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(mailing, "remote", "add", "origin", str(remote))
    count = tmp_path / "pushes"
    hook = remote / "hooks" / "pre-receive"
    # the second push of the run (recording what was sent) is refused, as by a remote gone
    hook.write_text(f'#!/bin/sh\necho x >> "{count}"\n[ "$(wc -l < "{count}")" -ne 2 ] || exit 1\n')
    hook.chmod(0o755)
    run = cli("remind", "--now", BRIEF_TIME)
    assert run.exit_code == 75
    assert "the mail went, but" in run.stderr and "recorded on the next run" in run.stderr
    assert len(server.received) == 3
    assert cli("remind", "--now", "2026-11-30T18:00Z").exit_code == 0
    assert len(server.received) == 3  # none again
    record = git(remote, "show", "refs/mentorkit/sent:sent")
    assert record.count("\tsent\t") == 3


def test_ctrl_c_while_connecting_releases_every_claim_for_the_next_run(cli, mailing, server):
    import signal
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    git(mailing, "config", "sendemail.smtpServerPort", str(silent.getsockname()[1]))
    run = subprocess.Popen(
        [sys.executable, "-m", "mentorkit", "remind", "--now", BRIEF_TIME],
        cwd=mailing,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        silent.settimeout(60)
        accepted, _ = silent.accept()  # mentorkit now waits for the server's greeting
        time.sleep(0.3)
        run.send_signal(signal.SIGINT)
        _, err = run.communicate(timeout=60)
        accepted.close()
    finally:
        silent.close()
    assert run.returncode == 130, err
    assert "interrupted while sending; 0 messages sent and recorded" in err
    assert "3 messages left for the next run" in err
    assert "Traceback" not in err
    record = git(mailing, "show", "refs/mentorkit/sent:sent")
    assert "\tsent\t" not in record and record.count("\treleased\t") == 3
    configure(mailing, server)
    assert cli("remind", "--now", "2026-11-30T16:05Z").exit_code == 0
    assert len(server.received) == 3


def test_a_refused_login_hands_the_password_back_to_the_credential_helper(
    cli, mailing, server, tmp_path
):
    asked = tmp_path / "helper.log"
    helper = f'!f() {{ echo "$1" >> "{asked}"; test "$1" = get && echo password=wrong; }}; f'
    git(mailing, "config", "credential.helper", helper)
    refused = cli("remind", "--check")
    assert refused.exit_code == 78 and "refused the login of diane-smtp" in refused.stderr
    assert asked.read_text().split() == ["get", "erase"]
    git(mailing, "config", "credential.helper", helper.replace("wrong", PASSWORD))
    asked.unlink()
    assert cli("remind", "--check").exit_code == 0
    assert asked.read_text().split() == ["get"]  # a good password is kept


def test_settings_that_cannot_work_name_the_setting(cli, mailing, server, tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORKIT_SMTP_ENCRYPTION", "ssl")
    ssl_on_starttls = cli("remind", "--check")
    assert ssl_on_starttls.exit_code == 78
    assert "smtpEncryption ssl cannot work" in ssl_on_starttls.stderr
    monkeypatch.delenv("MENTORKIT_SMTP_ENCRYPTION")
    missing = tmp_path / "no-such-ca.pem"
    monkeypatch.setenv("MENTORKIT_SMTP_CAFILE", str(missing))
    no_ca = cli("remind", "--check")
    assert no_ca.exit_code == 78
    assert f"the certificate file '{missing}' does not exist" in no_ca.stderr
    assert "sendemail.smtpSSLCertPath" in no_ca.stderr
    (tmp_path / "junk.pem").write_text("not a certificate\n")
    monkeypatch.setenv("MENTORKIT_SMTP_CAFILE", str(tmp_path / "junk.pem"))
    junk = cli("remind", "--check")
    assert junk.exit_code == 78 and "junk.pem' cannot be used" in junk.stderr


def test_an_empty_environment_variable_unsets_the_git_config_key(cli, mailing, server, monkeypatch):
    monkeypatch.setenv("MENTORKIT_SMTP_USER", "")
    anonymous = cli("remind", "--check")
    # the test server requires a login before it accepts mail, but connecting needs none
    assert anonymous.exit_code == 0, anonymous.output
    assert f"connected to 127.0.0.1:{server.port} (tls)" in anonymous.stdout


def test_an_unreachable_remote_is_named_with_gits_reason(cli, mailing, server, tmp_path):
    gone = tmp_path / "nonexistent.git"
    git(mailing, "remote", "add", "origin", str(gone))
    run = cli("remind", "--now", BRIEF_TIME)
    assert run.exit_code == 75
    assert run.stderr == (
        "error: could not read the record of mail sent from the remote origin: "
        f"'{gone}' does not appear to be a git repository; nothing was sent\n"
    )
    assert server.received == []


def test_a_recipient_refused_for_good_is_told_once_and_tried_again_for_a_new_address(
    cli, mailing, server
):
    server.handler.refuse.add(MENTEE)
    first = cli("remind", "--now", BRIEF_TIME)
    assert first.exit_code == 75
    assert (
        f"refused for good for {MENTEE}: 550 5.1.1 mailbox unavailable (and 1 more)" in first.stderr
    )
    assert "correct it in the file" in first.stderr
    assert [r.rcpt_tos for r in server.received] == [[MENTOR]]
    record = git(mailing, "rev-parse", "refs/mentorkit/sent")
    for later in ("2026-11-30T16:45Z", "2026-11-30T17:00Z"):
        quiet = cli("remind", "--now", later)
        assert (quiet.exit_code, quiet.output) == (0, "")
    assert git(mailing, "rev-parse", "refs/mentorkit/sent") == record  # nothing claimed
    assert cli("remind", "--dry-run", "--now", "2026-11-30T17:00Z").stdout == "nothing is due\n"
    file = mailing / "mentorship.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace(MENTEE, "tomas@example.org"))
    fixed = cli("remind", "--now", "2026-11-30T17:15Z")
    assert fixed.exit_code == 0, fixed.output
    assert [r.rcpt_tos for r in server.received][1:] == [["tomas@example.org"]] * 2


def test_a_bad_number_names_the_setting_as_the_user_set_it(cli, mailing, server, monkeypatch):
    monkeypatch.setenv("MENTORKIT_BRIEF_HOURS", "0")
    from_env = cli("remind", "--dry-run", "--now", BRIEF_TIME)
    assert from_env.exit_code == 78
    assert "MENTORKIT_BRIEF_HOURS is '0', out of range (1 to 65535)" in from_env.stderr
    monkeypatch.delenv("MENTORKIT_BRIEF_HOURS")
    git(mailing, "config", "mentorkit.smtpTimeout", "soon")
    from_git = cli("remind", "--check")
    assert from_git.exit_code == 78
    assert "git config mentorkit.smtpTimeout is 'soon', which is not a number" in from_git.stderr
    monkeypatch.setenv("MENTORKIT_SMTP_ENCRYPTION", "starttls")
    unknown = cli("remind", "--check")
    assert unknown.exit_code == 78
    assert "MENTORKIT_SMTP_ENCRYPTION is 'starttls'; use tls (STARTTLS)" in unknown.stderr
