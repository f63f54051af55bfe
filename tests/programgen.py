"""Generated pairs for the program view's tests and benchmark: mentorship files of several
kinds (healthy, stalled, one-way feedback, overdue, not agreed), each with a unique marker
in every free-text field, written into bare repositories with `git fast-import`."""

from __future__ import annotations

import os
import random
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from mentorkit.domain.agreement import InitAnswers, PersonAnswers, agree, new_mentorship
from mentorkit.file.fileformat import dump_text
from mentorkit.file.model import (
    ActionItem,
    Contact,
    DueMove,
    Feedback,
    Goal,
    Kpi,
    Measurement,
    Meeting,
    ProgramSharing,
    Resource,
    TalkingPoint,
    Update,
)

KINDS = ("healthy", "stalled", "one-way", "overdue", "unagreed")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Pair",
    "GIT_AUTHOR_EMAIL": "pair@example.com",
    "GIT_COMMITTER_NAME": "Pair",
    "GIT_COMMITTER_EMAIL": "pair@example.com",
}


@dataclass
class Made:
    """A generated pair: its kind, its markers (every free text it holds), its KPI values."""

    kind: str
    text: str
    markers: list[str]
    kpi_values: list[float]


def mentorship_text(
    index: int, kind: str, today: date, *, withhold: list[str] | None = None, seed: int = 7
) -> Made:
    rng = random.Random(seed * 100_003 + index)
    markers: list[str] = []

    def mark(field: str) -> str:
        token = f"ZQX{index:04d}{field.upper()}{rng.randrange(10**6):06d}"
        markers.append(token)
        return f"{field} {token}"

    start = today - timedelta(days=120)
    answers = InitAnswers(
        mentor=PersonAnswers(f"Mentor {index}", f"mentor{index}@example.com", "America/Chicago"),
        mentee=PersonAnswers(f"Mentee {index}", f"mentee{index}@example.com", "Europe/London"),
        start=start,
        mentee_wants=mark("wants"),
        mentor_wants=mark("mentorwants"),
        accountability=mark("accountability"),
        response_time=mark("response"),
        urgent_concerns=mark("urgent"),
        confidentiality=mark("confidential"),
        cancellations=mark("cancel"),
        informal_channels=[mark("channel")],
        cadence="every 2 weeks on tuesday",
        first_meeting=next(
            start + timedelta(days=d)
            for d in range(7)
            if (start + timedelta(days=d)).weekday() == 1
        ),
        time="10:00",
        timezone="America/Chicago",
        link=f"https://meet.example.com/{mark('link').split()[1]}",
    )
    m = new_mentorship(answers)
    if kind != "unagreed":
        agree(m, "mentor", start)
        agree(m, "mentee", start)
    base = 1000 + rng.randrange(10**6) / 1000 + 0.0005
    values = [base, base + 100 + rng.randrange(50), base + 200 + rng.randrange(50)]
    kpi = Kpi(
        id=f"k{index % 10}{'abcdefghjk'[index // 10 % 10]}x",
        name=mark("kpiname"),
        unit=mark("unit"),
        baseline=values[0],
        target=values[0] + 500,
        due=today + timedelta(days=300),
        measurements=[
            Measurement(date=today - timedelta(days=60 - 30 * i), value=v, note=mark("measure"))
            for i, v in enumerate(values[1:])
        ],
    )
    m.goals.append(
        Goal(
            id=f"g{index % 10}{'abcdefghjk'[index // 10 % 10]}x",
            competency=mark("competency"),
            why=mark("why"),
            strategies=[mark("strategy")],
            created=start,
            kpis=[kpi],
        )
    )
    first = m.schedule.first
    last_meeting = max(
        d
        for d in (first + timedelta(days=14 * k) for k in range(20))
        if d <= today - timedelta(days=40 if kind == "stalled" else 1)
    )
    for n, day in enumerate(first + timedelta(days=14 * k) for k in range(20)):
        if day > last_meeting:
            break
        m.meetings.append(
            Meeting(
                id=f"m{n}{index % 10}y{'abcdefghjk'[index // 10 % 10]}",
                date=day,
                notes=mark("notes"),
                decisions=[mark("decision")],
                covered=[mark("covered")],
            )
        )
    for n in range(6):
        due = today - timedelta(days=3 + n) if kind == "overdue" else today + timedelta(days=3 + n)
        m.actions.append(
            ActionItem(
                id=f"a{n}{index % 10}{'abcdefghjk'[index // 10 % 10]}",
                title=mark("title"),
                owner="mentor" if n % 2 else "mentee",
                created=start + timedelta(days=n),
                due=due,
                moves=[
                    DueMove(
                        was=due - timedelta(days=2),
                        moved=start + timedelta(days=n + 1),
                        reason=mark("movereason"),
                    )
                ],
                updates=[
                    Update(date=start + timedelta(days=n + 2), by="mentee", text=mark("update"))
                ],
            )
        )
    m.actions.append(
        ActionItem(
            id=f"ad{index % 10}{'abcdefghjk'[index // 10 % 10]}",
            title=mark("donetitle"),
            owner="mentee",
            created=start,
            due=today - timedelta(days=20),
            status="done",
            completed=today - timedelta(days=22),
        )
    )
    m.actions.append(
        ActionItem(
            id=f"ax{index % 10}{'abcdefghjk'[index // 10 % 10]}",
            title=mark("droptitle"),
            owner="mentor",
            created=start,
            status="dropped",
            dropped=today - timedelta(days=10),
            drop_reason=mark("dropreason"),
        )
    )
    m.resources.append(
        Resource(
            id=f"r{index % 10}{'abcdefghjk'[index // 10 % 10]}x",
            title=mark("resource"),
            kind="article",
            url=f"https://example.com/{mark('url').split()[1]}",
            shared_by="mentor",
            shared=start,
            notes=mark("resnotes"),
        )
    )
    for n in range(4):
        one_way = kind == "one-way"
        m.feedback.append(
            Feedback(
                id=f"f{n}{index % 10}{'abcdefghjk'[index // 10 % 10]}",
                date=today - timedelta(days=2 + 5 * n),
                from_="mentor" if one_way or n % 2 else "mentee",
                to="mentee" if one_way or n % 2 else "mentor",
                text=mark("feedback"),
            )
        )
    m.agenda.append(
        TalkingPoint(
            id=f"p{index % 10}{'abcdefghjk'[index // 10 % 10]}x", text=mark("agenda"), added=start
        )
    )
    # contacts between meetings: one to the mentee three days ago, its reply overdue; one
    # to the mentor ten days ago, answered; one to the mentee before the last four weeks
    code = f"{index % 10}{'abcdefghjk'[index // 10 % 10]}"
    for n, (sender, days, reply) in enumerate(
        (("mentor", 3, "needed"), ("mentee", 10, "answered"), ("mentor", 40, "not needed"))
    ):
        sent = datetime.combine(today - timedelta(days=days), time(10), UTC)
        m.contacts.append(
            Contact(
                id=f"c{n}{code}", sent=sent, from_=sender, to="mentee" if sender == "mentor" else "mentor",  # type: ignore[arg-type]
                channel="voice message", topic=mark("topic"),
                link=f"https://voice.example/{mark('link').split()[1]}", reply=reply,  # type: ignore[arg-type]
                replied=sent + timedelta(hours=5) if reply == "answered" else None,
            )
        )  # fmt: skip
    m.people.mentee.urgent_contact = mark("urgentcontact")
    m.extra["notes_of_our_own"] = mark("unknownkey")
    if withhold:
        m.program = ProgramSharing(withhold=list(withhold))  # type: ignore[arg-type]
    return Made(kind, dump_text(m), markers, values)


def bare_repository(path: Path, files: dict[str, str], branch: str = "main") -> None:
    """A bare repository whose branch holds `files`, in one commit (git fast-import)."""
    subprocess.run(["git", "init", "--quiet", "--bare", str(path)], check=True)
    commit(path, files, branch, first=True)


def commit(path: Path, files: dict[str, str], branch: str = "main", *, first: bool = False) -> None:
    """A new commit on `branch` holding `files` (replacing the tree)."""
    stamp = int(datetime(2026, 11, 1).timestamp()) + random.randrange(10**6)
    lines = [f"commit refs/heads/{branch}", f"committer Pair <pair@example.com> {stamp} +0000"]
    message = b"update the mentorship"
    stream = [("\n".join(lines) + f"\ndata {len(message)}\n").encode() + message + b"\n"]
    if not first:
        stream.append(f"from refs/heads/{branch}^0\n".encode())
    stream.append(b"deleteall\n")
    for name, text in files.items():
        data = text.encode()
        stream.append(f"M 100644 inline {name}\ndata {len(data)}\n".encode() + data + b"\n")
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=path,
        input=b"".join(stream),
        check=True,
        env={**os.environ, **GIT_ENV},
    )
