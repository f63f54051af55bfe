"""The guided `mentorkit init` interview: questions with defaults that explain themselves."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from mentorkit.agreement import DEFAULTS, WHY, InitAnswers, PersonAnswers, default_first_meeting
from mentorkit.errors import UsageProblem
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


def _date(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageProblem(f"{flag}: {value!r} is not a date like 2026-03-05") from None


class _Asker:
    def __init__(self, given: dict[str, Any], ask: bool) -> None:
        self.given = given
        self.ask = ask

    def __call__(
        self,
        key: str,
        question: str,
        default: str | None = None,
        choices: list[str] | None = None,
        check: Any = None,
    ) -> str | None:
        if key in self.given:
            return str(self.given[key])
        if not self.ask:
            return default
        from rich.prompt import Prompt
        from rich.text import Text

        from mentorkit.output import console, literal

        why = WHY.get(key)
        if why:
            console().print(Text(f"  ({why})", "dim"))
        while True:
            try:
                answer = Prompt.ask(
                    Text(question),
                    console=console(),
                    default=default,
                    choices=choices,
                    show_default=True,
                )
            except EOFError:
                raise UsageProblem(
                    f"no answer for {question!r} (input ended); use --no-input with flags to run "
                    "without questions"
                ) from None
            answer = (answer or "").strip()
            if check is None:
                return answer
            try:
                check(answer)
                return answer
            except UsageProblem as err:
                console().print(Text(literal(err.message), "red"))


def gather(given: dict[str, Any], *, today: date, ask: bool, role: str | None) -> InitAnswers:
    """Ask for whatever the flags did not give; with ask=False, use the defaults."""
    q = _Asker(given, ask)
    here = local_timezone()
    people = {}
    for who in ("mentor", "mentee"):
        name = q(f"{who}_name", f"The {who}'s name")
        email = q(f"{who}_email", f"The {who}'s email")
        tz = q(f"{who}_tz", f"The {who}'s time zone (IANA name)", here, check=_check_tz)
        missing = [
            flag
            for flag, value in ((f"--{who}-name", name), (f"--{who}-email", email))
            if not value
        ]
        if missing:
            raise UsageProblem(f"mentorkit init needs {' and '.join(missing)}")
        people[who] = PersonAnswers(name=str(name), email=str(email), timezone=str(tz))
    start = _date(q("start", "Start of the mentorship", today.isoformat()) or "", "--start")
    review = q("review", "Review date (YYYY-MM-DD, blank for six months in)", None)
    end = q("end", "End of the term (YYYY-MM-DD, blank for a year)", None)
    first = q(
        "first_meeting",
        "Date of the first formal meeting",
        default_first_meeting(start).isoformat(),
    )
    informal = q("informal_channels", "Informal channels", ", ".join(DEFAULTS["informal_channels"]))
    duration = q("duration", "Meeting length in minutes", "60")
    try:
        minutes = int(duration or 60)
    except ValueError:
        raise UsageProblem(f"--duration: {duration!r} is not a number of minutes") from None
    return InitAnswers(
        mentor=people["mentor"],
        mentee=people["mentee"],
        start=start,
        mentee_wants=q(
            "mentee_wants",
            "What does the mentee want (skills, insights, or both)?",
            DEFAULTS["mentee_wants"],
        ),
        mentor_wants=q("mentor_wants", "What does the mentor want from it?", None),
        initiates_contact=q(
            "initiates", "Who initiates contact?", "mentee", ["mentor", "mentee", "either"]
        )
        or "mentee",
        accountability=q(
            "accountability", "How do you hold each other accountable?", DEFAULTS["accountability"]
        ),
        formal_channel=q("formal_channel", "Formal meetings by", "video", ["video", "phone"])
        or "video",
        informal_channels=[c.strip() for c in (informal or "").split(",") if c.strip()],
        response_time=q(
            "response_time", "Response time between meetings", DEFAULTS["response_time"]
        ),
        urgent_concerns=q(
            "urgent", "Availability for urgent concerns", DEFAULTS["urgent_concerns"]
        ),
        confidentiality=q("confidentiality", "Confidentiality", DEFAULTS["confidentiality"]),
        cancellations=q("cancellations", "Cancellations", DEFAULTS["cancellations"]),
        review=_date(review, "--review") if review else None,
        end=_date(end, "--end") if end else None,
        cadence=q("cadence", "How often do you meet formally?", "monthly"),
        first_meeting=_date(first, "--first-meeting") if first else None,
        time=q("time", "Meeting time", "16:00") or "16:00",
        timezone=q(
            "meeting_tz", "Time zone of that time", people["mentor"].timezone, check=_check_tz
        ),
        duration=minutes,
        link=q("link", "Video link or dial-in (blank for none)", None),
        feedback_day=q("feedback_day", "Weekly feedback day", "friday") or "friday",
        agreed_by=_agreed_by(role),
    )


def _check_tz(name: str) -> None:
    from mentorkit.timezones import zone

    zone(name)


def _agreed_by(role: str | None) -> Any:
    role = role or os.environ.get("MENTORKIT_ROLE")
    return role if role in ("mentor", "mentee") else None


def next_steps(path: Path) -> list[str]:
    flag = "" if path.name == "mentorship.yaml" and path.parent == Path() else f" -f {path}"
    return [
        "",
        "Next steps:",
        f"  mentorkit{flag} rules            read the ground rules back together",
        f"  mentorkit{flag} rules agree      each of you records that you agree",
        f"  mentorkit{flag} status           who, when you next meet, what is open",
        f"  mentorkit{flag} validate         check the file after editing it by hand",
        "  share the repository (git remote add origin URL; git push -u origin HEAD); the other",
        "  person clones it and runs `mentorkit git setup` once; then `mentorkit sync` keeps both",
    ]
