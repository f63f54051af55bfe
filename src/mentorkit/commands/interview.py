"""The guided `mentorkit init` interview: questions with defaults that explain themselves."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from mentorkit.domain.agreement import (
    DEFAULT_CHANNELS,
    DEFAULTS,
    WHY,
    InitAnswers,
    PersonAnswers,
    fitting_first_meeting,
)
from mentorkit.errors import UsageProblem
from mentorkit.file.model import Role
from mentorkit.timezones import is_timezone


def local_timezone() -> str:
    """This machine's IANA time zone name, or UTC when it cannot be told."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name and is_timezone(name):
        return name
    try:
        target = os.path.realpath("/etc/localtime")
        marker = "zoneinfo/"
        if marker in target:
            candidate = target.split(marker, 1)[1]
            if is_timezone(candidate):
                return candidate
    except OSError:
        pass
    return "UTC"


EMAIL = re.compile(
    r"[^@\s<>\"',;\x00-\x1f\x7f-\x9f]+@[^@\s<>\"',;\x00-\x1f\x7f-\x9f]+\.[^@\s<>\"',;.\x00-\x1f\x7f-\x9f]+"
)
ROLE_KEY = "as"


@dataclass
class Question:
    """One answer `init` needs: its flag (`--KEY`), its group, and how it is checked."""

    key: str
    group: str
    text: str
    default: Callable[[dict[str, str], date], str | None] | str | None = None
    check: Callable[[str, dict[str, str], date], str] | None = None
    choices: tuple[str, ...] | None = None
    required: bool = False

    @property
    def flag(self) -> str:
        return "--as" if self.key == ROLE_KEY else "--" + self.key.replace("_", "-")

    def default_for(self, answers: dict[str, str], today: date) -> str | None:
        return self.default(answers, today) if callable(self.default) else self.default


def _name(text: str, answers: dict[str, str], today: date) -> str:
    if not text.strip():
        raise UsageProblem("a name is needed")
    return " ".join(text.split())


def _email(text: str, answers: dict[str, str], today: date) -> str:
    if not EMAIL.fullmatch(text.strip()):
        raise UsageProblem(f"{text.strip()!r} is not an email address like name@example.com")
    return text.strip()


def _second_email(text: str, answers: dict[str, str], today: date) -> str:
    email = _email(text, answers, today)
    if email.lower() == answers.get("mentor_email", "").lower():
        raise UsageProblem(
            f"{email} is the mentor's email too; each of you needs your own, so that "
            "mentorkit can tell who is running it"
        )
    return email


def _timezone(text: str, answers: dict[str, str], today: date) -> str:
    from mentorkit.timezones import zone

    zone(text.strip())
    return text.strip()


def _day(text: str, answers: dict[str, str], today: date) -> str:
    from mentorkit.domain.dates import parse_when

    return parse_when(text, today).isoformat()


def _after_start(text: str, answers: dict[str, str], today: date) -> str:
    if not text.strip():
        return ""
    day = _day(text, answers, today)
    start = answers.get("start", today.isoformat())
    if day <= start:
        raise UsageProblem(f"{day} is not after the start of the mentorship, {start}")
    return day


def _end(text: str, answers: dict[str, str], today: date) -> str:
    day = _after_start(text, answers, today)
    review = answers.get("review")
    if day and review and day < review:
        raise UsageProblem(f"{day} is before the review date, {review}")
    return day


def _first_meeting(text: str, answers: dict[str, str], today: date) -> str:
    from mentorkit.domain.agreement import check_first_meeting

    day = _day(text, answers, today)
    start = answers.get("start", today.isoformat())
    if day < start:
        raise UsageProblem(f"{day} is before the start of the mentorship, {start}")
    check_first_meeting(answers.get("cadence"), day)
    return day


def _cadence(text: str, answers: dict[str, str], today: date) -> str:
    from mentorkit.domain.cadence import parse_cadence

    if text.strip().lower() != "monthly":
        parse_cadence(text)
    return text.strip()


def _time(text: str, answers: dict[str, str], today: date) -> str:
    from mentorkit.domain.agreement import clock_text

    return clock_text(text)


def _working_time(answers: dict[str, str], today: date) -> str:
    """Inside both people's working day on the first meeting's date, where one exists."""
    from mentorkit.domain.schedule import working_time

    zones = [answers.get("mentor_tz") or "UTC", answers.get("mentee_tz") or "UTC"]
    day = date.fromisoformat(answers.get("first_meeting") or today.isoformat())
    return working_time(day, zones[0], zones)


def _minutes(text: str, answers: dict[str, str], today: date) -> str:
    if not text.strip().isdigit() or not 5 <= int(text) <= 600:
        raise UsageProblem(f"{text.strip()!r} is not a meeting length in minutes (5 to 600)")
    return str(int(text))


def _weekday(text: str, answers: dict[str, str], today: date) -> str:
    from mentorkit.domain.agreement import weekday_named

    return weekday_named(text)


def _choice(*options: str) -> Callable[[str, dict[str, str], date], str]:
    def check(text: str, answers: dict[str, str], today: date) -> str:
        chosen = text.strip().lower()
        if chosen not in options:
            raise UsageProblem(f"answer {' or '.join(options)}, not {text.strip()!r}")
        return chosen

    return check


def _free(text: str, answers: dict[str, str], today: date) -> str:
    return text.strip()


def _response_time(text: str, answers: dict[str, str], today: date) -> str:
    """A response time that replies can be counted against: '2 working days', '24 hours'."""
    from mentorkit.domain.workingtime import parse_response_time

    if text.strip() and parse_response_time(text) is None:
        raise UsageProblem(
            f"{text.strip()!r} is not a response time like '2 working days', '1 business day' "
            "or '24 hours'"
        )
    return text.strip()


def _from_start(answers: dict[str, str], today: date, days: int) -> str:
    from datetime import timedelta

    start = date.fromisoformat(answers.get("start") or today.isoformat())
    return (start + timedelta(days=days)).isoformat()


def _review(answers: dict[str, str], today: date) -> str:
    """Half a year after the start, or half-way through a shorter term when its end is known."""
    from datetime import timedelta

    start = date.fromisoformat(answers.get("start") or today.isoformat())
    end = answers.get("end")
    halfway = (start + timedelta(days=182)).isoformat()
    if end and end < halfway:
        days = (date.fromisoformat(end) - start).days
        halfway = (start + timedelta(days=max(1, days // 2))).isoformat()
    return halfway


def _here(answers: dict[str, str], today: date) -> str:
    return local_timezone()


QUESTIONS: tuple[Question, ...] = (
    Question("mentor_name", "people", "The mentor's name", check=_name, required=True),
    Question("mentor_email", "people", "The mentor's email", check=_email, required=True),
    Question("mentor_tz", "people", "The mentor's time zone (IANA name)", _here, _timezone),
    Question("mentee_name", "people", "The mentee's name", check=_name, required=True),
    Question("mentee_email", "people", "The mentee's email", check=_second_email,
             required=True),
    Question("mentee_tz", "people", "The mentee's time zone (IANA name)", _here, _timezone),
    Question(ROLE_KEY, "people", "Which of the two are you", None, _choice("mentor", "mentee"),
             ("mentor", "mentee")),
    Question("start", "meetings", "Start of the mentorship", lambda a, t: t.isoformat(), _day),
    Question("cadence", "meetings", "How often do you meet formally?", "monthly", _cadence),
    Question("first_meeting", "meetings", "Date of the first formal meeting",
             lambda a, t: fitting_first_meeting(a.get("cadence"), date.fromisoformat(a["start"])).isoformat(),
             _first_meeting),
    Question("time", "meetings", "Meeting time", _working_time, _time),
    Question("meeting_tz", "meetings", "Time zone of that time",
             lambda a, t: a.get("mentor_tz"), _timezone),
    Question("duration", "meetings", "Meeting length in minutes", "60", _minutes),
    Question("formal_channel", "meetings", "Formal meetings by", "video",
             _choice("video", "phone"), ("video", "phone")),
    Question("link", "meetings", "Video link or dial-in (blank for none)", None, _free),
    Question("feedback_day", "meetings", "Weekly feedback day", "friday", _weekday),
    Question("mentee_wants", "agreement", "What does the mentee want (skills, insights, or both)?",
             DEFAULTS["mentee_wants"], _free),
    Question("mentor_wants", "agreement", "What does the mentor want from it?", None, _free),
    Question("initiates", "agreement", "Who initiates contact?", "mentee",
             _choice("mentor", "mentee", "either"), ("mentor", "mentee", "either")),
    Question("accountability", "agreement", "How do you hold each other accountable?",
             DEFAULTS["accountability"], _free),
    Question("informal_channels", "agreement", "Informal channels, comma-separated",
             ", ".join(DEFAULT_CHANNELS), _free),
    Question("response_time", "agreement", "Response time between meetings",
             DEFAULTS["response_time"], _response_time),
    Question("urgent", "agreement", "Availability for urgent concerns",
             DEFAULTS["urgent_concerns"], _free),
    Question("confidentiality", "agreement", "Confidentiality", DEFAULTS["confidentiality"], _free),
    Question("cancellations", "agreement", "Cancellations", DEFAULTS["cancellations"], _free),
    Question("review", "agreement", "Review date", _review, _after_start),
    Question("end", "agreement", "End of the term", lambda a, t: _from_start(a, t, 365), _end),
)  # fmt: skip

_END = next(q for q in QUESTIONS if q.key == "end")

GROUPS = {
    "people": "The two of you",
    "meetings": "Meetings",
    "agreement": "The agreement (press Enter to keep a suggestion; end a line with \\ to go on)",
}
WHY_KEY = {"initiates": "initiates_contact"}


class Interrupted(UsageProblem):
    """The interview stopped before the file was written."""


def resume_command(answers: dict[str, str]) -> str:
    """The command that starts init again with every answer given so far."""
    import shlex

    words = ["mentorkit"]
    if answers.get(ROLE_KEY):
        words += ["--as", answers[ROLE_KEY]]
    words.append("init")
    for question in QUESTIONS:
        if question.key != ROLE_KEY and answers.get(question.key):
            words += [question.flag, answers[question.key]]
    return " ".join(shlex.quote(word) for word in words)


class _Interview:
    def __init__(self, today: date, ask: bool) -> None:
        self.today = today
        self.ask = ask
        self.answers: dict[str, str] = {}
        self.me: str | None = None

    def say(self, text: str, style: str = "") -> None:
        from rich.text import Text

        from mentorkit.output import console, literal

        console().print(Text(literal(text), style))

    def read(self, question: Question) -> str:
        from mentorkit.output import literal, read_line

        default = question.default_for(self.answers, self.today)
        if question.key == ROLE_KEY:
            default = self.me
        choices = f" ({'/'.join(question.choices)})" if question.choices else ""
        shown = f"{question.text}{choices}" + (f" [{default}]" if default else "") + ": "
        lines = [read_line(literal(shown))]
        while lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1]
            lines.append(read_line("… "))
        answer = "\n".join(line.rstrip() for line in lines).strip()
        return answer or (default or "")

    def settle(self, question: Question, text: str) -> str:
        """The checked answer; raises UsageProblem with the reason."""
        if not text.strip() and not question.required:
            return ""
        return question.check(text, self.answers, self.today) if question.check else text.strip()

    def ask_one(self, question: Question) -> None:
        why = WHY.get(WHY_KEY.get(question.key, question.key))
        if why:
            self.say(f"  ({why})", "dim")
        while True:
            try:
                self.answers[question.key] = self.settle(question, self.read(question))
                return
            except UsageProblem as err:
                self.say(f"  {err.message}; try again", "red")

    def given(self, question: Question, value: str) -> None:
        try:
            self.answers[question.key] = self.settle(question, value)
        except UsageProblem as err:
            if not self.ask:
                raise UsageProblem(f"{question.flag}: {err.message}") from None
            self.say(f"{question.flag}: {err.message}", "red")
            self.ask_one(question)

    def summary(self) -> list[str]:
        lines = []
        for number, question in enumerate(QUESTIONS, start=1):
            value = self.answers.get(question.key) or "(none)"
            label = re.sub(r" \(.*\)$", "", question.text).rstrip("?")
            lines.append(f"{number:3}. {label}: {' / '.join(value.splitlines())}")
        return lines

    def recheck(self) -> None:
        """After a change, ask again for any later answer it made wrong (an end date that no
        longer follows a moved start)."""
        for question in QUESTIONS:
            try:
                self.settle(question, self.answers.get(question.key, ""))
            except UsageProblem as err:
                self.say(f"  {question.text}: {err.message}", "red")
                self.ask_one(question)

    def confirm(self) -> None:
        from mentorkit.output import read_line, write

        while True:
            write(["", [("Your answers", "bold")], *self.summary(), ""])
            choice = read_line("Write the file? [y]es, a number to change that answer, [q]uit: ")
            choice = choice.strip().lower()
            if choice in ("", "y", "yes"):
                return
            if choice in ("q", "quit"):
                raise KeyboardInterrupt
            if choice in ("n", "no"):
                self.say(
                    "  then type the number of the answer to change, or q to quit without "
                    "writing anything",
                    "red",
                )
                continue
            if choice.isdigit() and 1 <= int(choice) <= len(QUESTIONS):
                self.ask_one(QUESTIONS[int(choice) - 1])
                self.recheck()
            else:
                self.say(f"  {choice!r} is not y, q or a number from 1 to {len(QUESTIONS)}", "red")


def gather(
    given: dict[str, Any],
    *,
    today: date,
    ask: bool,
    role: str | None,
    my_email: str | None = None,
) -> InitAnswers:
    """Ask for whatever the flags did not give, checking each answer as it comes (and
    asking again with the reason); with ask=False, use the defaults and refuse bad flags.
    Ctrl-C or the end of input stops with nothing written and the command to resume."""
    interview = _Interview(today, ask)
    if role:
        given = {**given, ROLE_KEY: role}
    group = None
    try:
        for question in QUESTIONS:
            if question.key in given:
                interview.given(question, str(given[question.key]))
                continue
            if question.key == "review" and "end" in given:
                # the end given first, so that the review date offered falls before it
                interview.given(_END, str(given["end"]))
            if question.key == ROLE_KEY and my_email:
                interview.me = next(
                    (
                        who
                        for who in ("mentor", "mentee")
                        if interview.answers.get(f"{who}_email", "").lower() == my_email.lower()
                    ),
                    None,
                )
                if not ask:
                    interview.answers[ROLE_KEY] = interview.me or ""
                    continue
            if not ask:
                if question.required:
                    continue
                default = question.default_for(interview.answers, today)
                interview.answers[question.key] = interview.settle(question, default or "")
                continue
            if question.group != group:
                group = question.group
                interview.say("")
                interview.say(GROUPS[group], "bold")
            interview.ask_one(question)
        missing = [q.flag for q in QUESTIONS if q.required and not interview.answers.get(q.key)]
        if missing:
            raise UsageProblem(f"mentorkit init needs {' and '.join(missing)}")
        if ask:
            interview.confirm()
        return _to_answers(interview.answers)
    except (KeyboardInterrupt, EOFError) as stop:
        import sys

        sys.stdout.write("\n")
        from mentorkit.output import literal

        sys.stderr.write(
            "nothing was written. To start again with the answers given so far (add "
            "--no-input to take the suggestions for the rest):\n  "
            + literal(resume_command(interview.answers))
            + "\n"
        )
        if isinstance(stop, EOFError):
            raise Interrupted(
                "the interview ended before every question was answered (input ended); pass "
                "the answers as flags with --no-input to run without questions"
            ) from None
        raise


def _to_answers(answers: dict[str, str]) -> InitAnswers:
    def day(key: str) -> date | None:
        return date.fromisoformat(answers[key]) if answers.get(key) else None

    def person(who: str) -> PersonAnswers:
        return PersonAnswers(
            name=answers[f"{who}_name"],
            email=answers[f"{who}_email"],
            timezone=answers[f"{who}_tz"],
        )

    return InitAnswers(
        mentor=person("mentor"),
        mentee=person("mentee"),
        start=date.fromisoformat(answers["start"]),
        mentee_wants=answers.get("mentee_wants") or None,
        mentor_wants=answers.get("mentor_wants") or None,
        initiates_contact=answers["initiates"],
        accountability=answers.get("accountability") or None,
        formal_channel=answers["formal_channel"],
        informal_channels=[
            c.strip() for c in answers.get("informal_channels", "").split(",") if c.strip()
        ],
        response_time=answers.get("response_time") or None,
        urgent_concerns=answers.get("urgent") or None,
        confidentiality=answers.get("confidentiality") or None,
        cancellations=answers.get("cancellations") or None,
        review=day("review"),
        end=day("end"),
        cadence=answers["cadence"],
        first_meeting=day("first_meeting"),
        time=answers["time"],
        timezone=answers.get("meeting_tz") or answers["mentor_tz"],
        duration=int(answers["duration"]),
        link=answers.get("link") or None,
        feedback_day=answers["feedback_day"],
        agreed_by=_role(answers.get(ROLE_KEY)),
    )


def _role(text: str | None) -> Role | None:
    return "mentor" if text == "mentor" else "mentee" if text == "mentee" else None


def next_steps(path: Path) -> list[str]:
    flag = "" if path.name == "mentorship.yaml" and path.parent == Path() else f" -f {path}"
    return [
        "",
        "Next steps:",
        f"  mentorkit{flag} rules            read the ground rules back together",
        f"  mentorkit{flag} rules agree      each of you records that you agree",
        f"  mentorkit{flag} status           who, when you next meet, what is open",
        f"  mentorkit{flag} validate         check the file after editing it by hand",
        "  share the repository: git remote add origin URL; git push -u origin HEAD",
        "  the other person clones it and runs `mentorkit git setup` once;",
        "  then `mentorkit sync` keeps both",
    ]
