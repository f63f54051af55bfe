"""`followup --send`: a real SMTP server with STARTTLS and AUTH receives the follow-up;
the file records who sent it and when; failures say so in one sentence and record nothing."""

from __future__ import annotations

import socket
import subprocess
import threading

from tests.conftest import git
from tests.smtpserver import PASSWORD, configure

MENTOR = "diane.whitaker@example.com"
MENTEE = "tomas.okonkwo@example.co.uk"


def _secret_nowhere(repo, *outputs):
    everything = subprocess.run(
        ["git", "log", "-p", "--all"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    assert PASSWORD not in everything
    assert PASSWORD not in (repo / "mentorship.yaml").read_text(encoding="utf-8")
    for text in outputs:
        assert PASSWORD not in text


def test_the_follow_up_goes_to_both_people_and_is_recorded(cli, mailing, server):
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 0, run.output
    assert len(server.received) == 1
    got = server.received[0]
    assert sorted(got.rcpt_tos) == sorted([MENTOR, MENTEE])
    assert got.mail_from == MENTEE
    message = got.message
    assert message["Subject"] == "Follow-up: mentoring meeting of 2026-11-03"
    assert message["From"] == f"Tomás Okonkwo-Reyes <{MENTEE}>"
    assert message["Reply-To"] == f"Tomás Okonkwo-Reyes <{MENTEE}>"
    assert message["To"] == f"Diane Whitaker <{MENTOR}>, Tomás Okonkwo-Reyes <{MENTEE}>"
    assert "X-Unsent" not in message
    raw_headers = got.raw.split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in raw_headers.lower()  # the accented name is encoded, not raw 8-bit
    assert message.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    for part in message.iter_parts():
        assert part.get_content_charset() == "utf-8"
    text = message.get_body(("plain",)).get_content()
    assert "Hello Diane Whitaker and Tomás Okonkwo-Reyes" in text
    assert "Tomás Okonkwo-Reyes" in message.get_body(("html",)).get_content()
    held = (mailing / "mentorship.yaml").read_text(encoding="utf-8")
    assert "followup_sent: 2026-11-04T12:00+00:00\n  followup_by: mentee" in held
    assert git(mailing, "log", "-1", "--format=%s").strip() == (
        "mentee sent the follow-up of the meeting of 2026-11-03"
    )
    history = cli("history", "--since", "2026-11-01")
    assert "sent the follow-up of the meeting of 2026-11-03" in history.stdout
    assert git(mailing, "status", "--porcelain") == ""
    _secret_nowhere(mailing, run.output, history.output)
    again = cli("--today", "2026-11-04", "followup", "--send")
    assert again.exit_code == 2
    assert "sent the follow-up of the meeting of 2026-11-03 on 2026-11-04 12:00 UTC" in again.stderr
    assert len(server.received) == 1


def test_text_from_the_file_cannot_add_headers_or_recipients(cli, mailing, server):
    path = mailing / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: Diane Whitaker", 'name: "Diane, <evil@example.net> Whitaker"')
    text = text.replace(
        "notes: Demand letter is late; physio invoices are the blocker.",
        'notes: "Fine.\\r\\nBcc: evil@example.net\\r\\n\\r\\nbody"',
    )
    path.write_text(text, encoding="utf-8")
    git(mailing, "commit", "-qam", "hand edit")
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 0, run.output
    (got,) = server.received
    assert sorted(got.rcpt_tos) == sorted([MENTOR, MENTEE])
    headers = got.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert not [h for h in headers.split("\r\n") if h.lower().startswith("bcc")]
    message = got.message
    assert message["Bcc"] is None
    assert [a.addr_spec for a in message["To"].addresses] == [MENTOR, MENTEE]
    assert message["To"].addresses[0].display_name == "Diane, <evil@example.net> Whitaker"
    assert "Bcc: evil" in message.get_body(("plain",)).get_content()  # shown, as text


def test_a_server_that_is_down_is_one_sentence_and_nothing_is_recorded(cli, mailing, server):
    server.stop()
    before = (mailing / "mentorship.yaml").read_bytes()
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 75
    assert run.stderr.count("\n") == 1
    assert f"could not reach the mail server 127.0.0.1:{server.port}" in run.stderr
    assert (mailing / "mentorship.yaml").read_bytes() == before
    _secret_nowhere(mailing, run.output)
    server.start()
    retried = cli("--today", "2026-11-04", "followup", "--send")
    assert retried.exit_code == 0, retried.output
    assert len(server.received) == 1


def test_a_refused_login_names_the_user_and_never_the_password(cli, mailing, server):
    configure(mailing, server, password="wrong-" + PASSWORD)
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 78
    assert "refused the login of diane-smtp" in run.stderr
    assert PASSWORD not in run.output
    assert server.received == []
    assert "followup_sent" not in (mailing / "mentorship.yaml").read_text(encoding="utf-8")


def test_a_refused_recipient_gets_it_on_the_retry_and_the_other_person_not_twice(
    cli, mailing, server
):
    server.handler.defer.add(MENTEE)
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 75
    assert f"not sent to {MENTEE}" in run.stderr
    assert [r.rcpt_tos for r in server.received] == [[MENTOR]]
    assert "followup_sent" not in (mailing / "mentorship.yaml").read_text(encoding="utf-8")
    server.handler.defer.clear()
    retried = cli("--today", "2026-11-04", "followup", "--send")
    assert retried.exit_code == 0, retried.output
    assert [r.rcpt_tos for r in server.received] == [[MENTOR], [MENTEE]]
    assert "followup_sent: 2026-11-04T12:00+00:00" in (mailing / "mentorship.yaml").read_text(
        encoding="utf-8"
    )


def test_a_server_that_never_answers_times_out(cli, mailing, server):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(silent.accept()), daemon=True).start()
    git(mailing, "config", "sendemail.smtpServerPort", str(silent.getsockname()[1]))
    git(mailing, "config", "mentorkit.smtpTimeout", "1")
    try:
        run = cli("--today", "2026-11-04", "followup", "--send")
    finally:
        silent.close()
    assert run.exit_code == 75
    assert "did not answer within 1 s" in run.stderr
    assert "followup_sent" not in (mailing / "mentorship.yaml").read_text(encoding="utf-8")


def test_without_settings_it_says_what_to_set(cli, repo):
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 78
    assert "sendemail.smtpServer" in run.stderr


def test_a_name_outside_ascii_cannot_add_or_replace_recipients(cli, mailing, server):
    path = mailing / "mentorship.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "name: Tomás Okonkwo-Reyes",
        'name: "Tomás <x@attacker.example>, evil@attacker.example"',
    )
    text = text.replace("name: Diane Whitaker", 'name: "Whitaker, Diané"')
    path.write_text(text, encoding="utf-8")
    git(mailing, "commit", "-qam", "hand edit")
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 0, run.output
    (got,) = server.received
    assert sorted(got.rcpt_tos) == sorted([MENTOR, MENTEE])
    message = got.message
    assert [a.addr_spec for a in message["To"].addresses] == [MENTOR, MENTEE]
    assert [a.addr_spec for a in message["Reply-To"].addresses] == [MENTEE]
    assert [a.addr_spec for a in message["From"].addresses] == [MENTEE]
    assert message["To"].addresses[0].display_name == "Whitaker, Diané"


def test_an_address_mail_cannot_carry_is_refused_for_that_person_alone(cli, mailing, server):
    path = mailing / "mentorship.yaml"
    text = path.read_text(encoding="utf-8").replace(MENTOR, "dïane@exämple.com")
    path.write_text(text, encoding="utf-8")
    git(mailing, "commit", "-qam", "hand edit")
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 75, run.output
    assert "not sent to dïane@exämple.com" in run.stderr
    assert "outside ASCII" in run.stderr
    assert "Traceback" not in run.output
    assert [r.rcpt_tos for r in server.received] == [[MENTEE]]
    assert [a.addr_spec for a in server.received[0].message["To"].addresses] == [MENTEE]
    assert "followup_sent" not in path.read_text(encoding="utf-8")


def test_a_domain_outside_ascii_goes_in_its_ascii_form(cli, mailing, server):
    path = mailing / "mentorship.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(MENTOR, "diane@exämple.com"), encoding="utf-8"
    )
    git(mailing, "commit", "-qam", "hand edit")
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 0, run.output
    (got,) = server.received
    assert sorted(got.rcpt_tos) == sorted(["diane@xn--exmple-cua.com", MENTEE])


def test_a_sendmail_command_gets_the_message_and_the_two_addresses_as_arguments(
    cli, repo, tmp_path
):
    kept = tmp_path / "sendmail"
    kept.mkdir()
    command = tmp_path / "fake sendmail"
    command.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{kept}/args"\ncat > "{kept}/message"\n')
    command.chmod(0o755)
    git(repo, "config", "sendemail.sendmailCmd", f"'{command}' -C /etc/none")
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 0, run.output
    args = (kept / "args").read_text().splitlines()
    assert args == ["-C", "/etc/none", "-i", "-f", MENTEE, "--", MENTOR, MENTEE]
    assert b"Subject: Follow-up: mentoring meeting of 2026-11-03" in (kept / "message").read_bytes()
    assert "followup_sent" in (repo / "mentorship.yaml").read_text(encoding="utf-8")
    git(repo, "config", "sendemail.sendmailCmd", f"'{command}' -i")
    again = cli("--today", "2026-11-05", "followup", "--send", "--again")
    assert again.exit_code == 0, again.output
    assert (kept / "args").read_text().splitlines()[:3] == ["-i", "-f", MENTEE]  # -i once


def test_a_failing_sendmail_command_records_nothing(cli, repo, tmp_path):
    git(repo, "config", "sendemail.sendmailCmd", "sh -c 'echo no relay >&2; exit 75' sendmail")
    run = cli("--today", "2026-11-04", "followup", "--send")
    assert run.exit_code == 75
    assert "failed: no relay" in run.stderr
    assert "followup_sent" not in (repo / "mentorship.yaml").read_text(encoding="utf-8")


def test_again_sends_a_new_copy_to_both(cli, mailing, server):
    assert cli("--today", "2026-11-04", "followup", "--send").exit_code == 0
    again = cli("--today", "2026-11-05", "followup", "--send", "--again")
    assert again.exit_code == 0, again.output
    assert [sorted(r.rcpt_tos) for r in server.received] == [sorted([MENTOR, MENTEE])] * 2
    assert "followup_sent: 2026-11-05T12:00+00:00" in (mailing / "mentorship.yaml").read_text(
        encoding="utf-8"
    )


def test_a_recipient_refused_for_good_is_not_retried_until_asked_again(cli, mailing, server):
    server.handler.refuse.add(MENTEE)
    first = cli("--today", "2026-11-04", "followup", "--send")
    assert first.exit_code == 75
    assert f"refused for good for {MENTEE}: 550 5.1.1" in first.stderr
    server.handler.refuse.clear()
    second = cli("--today", "2026-11-04", "followup", "--send")
    assert second.exit_code == 75
    assert f"refused for good for {MENTEE} earlier" in second.stderr and "--again" in second.stderr
    assert [r.rcpt_tos for r in server.received] == [[MENTOR]]
    again = cli("--today", "2026-11-04", "followup", "--send", "--again")
    assert again.exit_code == 0, again.output
    assert [r.rcpt_tos for r in server.received][1:] == [[MENTOR, MENTEE]]
