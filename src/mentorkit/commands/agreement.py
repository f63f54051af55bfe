"""`mentorkit init` and `mentorkit rules`: starting a mentorship and its ground rules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mentorkit.commands.context import FullHelp, change, commit, load, narrated, options, role_of
from mentorkit.errors import MentorkitError

init_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)


rules_app = typer.Typer(
    cls=FullHelp, rich_markup_mode=None, help="Show or renegotiate the ground rules."
)


@init_app.command()
def init(
    ctx: typer.Context,
    mentor_name: Annotated[str | None, typer.Option(help="The mentor's name.")] = None,
    mentor_email: Annotated[str | None, typer.Option(help="The mentor's email.")] = None,
    mentor_tz: Annotated[
        str | None, typer.Option(help="The mentor's IANA time zone, e.g. America/Chicago.")
    ] = None,
    mentee_name: Annotated[str | None, typer.Option(help="The mentee's name.")] = None,
    mentee_email: Annotated[str | None, typer.Option(help="The mentee's email.")] = None,
    mentee_tz: Annotated[
        str | None, typer.Option(help="The mentee's IANA time zone, e.g. Europe/London.")
    ] = None,
    mentee_wants: Annotated[
        str | None,
        typer.Option(help="What the mentee wants: skills, insights, or both, in their words."),
    ] = None,
    mentor_wants: Annotated[
        str | None, typer.Option(help="What the mentor wants from the mentorship.")
    ] = None,
    initiates: Annotated[
        str | None, typer.Option(help="Who initiates contact: mentor, mentee or either.")
    ] = None,
    accountability: Annotated[
        str | None, typer.Option(help="How you hold each other accountable.")
    ] = None,
    formal_channel: Annotated[
        str | None, typer.Option(help="Channel for formal meetings: video or phone.")
    ] = None,
    informal_channels: Annotated[
        str | None, typer.Option(help="Informal channels, comma-separated.")
    ] = None,
    response_time: Annotated[
        str | None, typer.Option(help="How quickly you answer each other.")
    ] = None,
    urgent: Annotated[
        str | None, typer.Option(help="Availability for urgent concerns outside meetings.")
    ] = None,
    confidentiality: Annotated[str | None, typer.Option(help="The confidentiality rule.")] = None,
    cancellations: Annotated[str | None, typer.Option(help="How cancellations work.")] = None,
    start: Annotated[
        str | None, typer.Option(help="Start of the term (YYYY-MM-DD, default today).")
    ] = None,
    review: Annotated[
        str | None, typer.Option(help="Review date (default six months after the start).")
    ] = None,
    end: Annotated[
        str | None, typer.Option(help="End of the term (default a year after the start).")
    ] = None,
    cadence: Annotated[
        str | None,
        typer.Option(
            help="Formal meetings: 'monthly', 'quarterly', 'monthly on the first tuesday', or an RRULE."
        ),
    ] = None,
    first_meeting: Annotated[
        str | None, typer.Option(help="Date of the first formal meeting.")
    ] = None,
    time: Annotated[str | None, typer.Option(help="Meeting time, e.g. 16:00.")] = None,
    meeting_tz: Annotated[
        str | None, typer.Option(help="Time zone of the meeting time (default the mentor's).")
    ] = None,
    duration: Annotated[int | None, typer.Option(help="Meeting length in minutes.")] = None,
    link: Annotated[str | None, typer.Option(help="Video link or dial-in.")] = None,
    feedback_day: Annotated[
        str | None, typer.Option(help="Weekly feedback day (default friday).")
    ] = None,
    no_git: Annotated[
        bool, typer.Option("--no-git", help="Do not create a git repository or commit.")
    ] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Ask nothing; use flags and defaults.")
    ] = False,
) -> None:
    """Agree the ground rules and start a new mentorship file (mentorship.yaml)."""
    from mentorkit.commands import interview
    from mentorkit.domain.agreement import new_mentorship
    from mentorkit.file import storage
    from mentorkit.git import git
    from mentorkit.git.people import role_setting, start_repository
    from mentorkit.output import success, warn, write

    opts = options(ctx)
    path = storage.new_file(opts.file)
    if path.exists():
        raise MentorkitError(
            f"{storage.display_name(path)} already exists; mentorkit init never overwrites a file"
        )
    given = {
        k: v
        for k, v in {
            "mentor_name": mentor_name,
            "mentor_email": mentor_email,
            "mentor_tz": mentor_tz,
            "mentee_name": mentee_name,
            "mentee_email": mentee_email,
            "mentee_tz": mentee_tz,
            "mentee_wants": mentee_wants,
            "mentor_wants": mentor_wants,
            "initiates": initiates,
            "accountability": accountability,
            "formal_channel": formal_channel,
            "informal_channels": informal_channels,
            "response_time": response_time,
            "urgent": urgent,
            "confidentiality": confidentiality,
            "cancellations": cancellations,
            "start": start,
            "review": review,
            "end": end,
            "cadence": cadence,
            "first_meeting": first_meeting,
            "time": time,
            "meeting_tz": meeting_tz,
            "duration": duration,
            "link": link,
            "feedback_day": feedback_day,
        }.items()
        if v is not None
    }
    answers = interview.gather(
        given,
        today=opts.today,
        ask=not no_input,
        role=role_setting(opts.role),
        my_email=git.config("user.email", path.resolve().parent),
    )
    mentorship = new_mentorship(answers)
    storage.create(path, mentorship)
    success(f"wrote {storage.display_name(path)}")
    from mentorkit.domain.schedule import outside_working_day

    for problem in outside_working_day(mentorship, mentorship.schedule.first):
        warn(problem)
    if not no_git:
        from mentorkit.git.setup import setup as git_setup

        folder = path.resolve().parent
        created = start_repository(folder)
        if created:
            success(f"created a git repository in {created}")
        also: tuple[Path, ...] = ()
        work_tree = git.toplevel(folder)
        if work_tree is not None:
            report = git_setup(path)
            also = (work_tree / ".gitattributes",)
            success("set up the merge driver, readable diffs and a pre-commit check")
            if report.hook == "skipped":
                warn(
                    "a pre-commit hook that is not mentorkit's exists; add `mentorkit validate` to it"
                )
        role = answers.agreed_by or role_of(opts, mentorship, folder)
        summary = (
            f"Start the mentorship: {mentorship.people.mentor.name} mentoring "
            f"{mentorship.people.mentee.name}"
        )
        message = narrated(None, path, role) or summary
        commit(path.resolve(), mentorship, role, message, enabled=opts.commit, also=also)
    write(interview.next_steps(path))


@rules_app.callback(invoke_without_command=True)
def rules_show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the ground rules you agreed."""
    if ctx.invoked_subcommand is not None:
        return
    from mentorkit import output
    from mentorkit.domain.agreement import gaps
    from mentorkit.views import json_shapes, terminal

    m = load(options(ctx)).mentorship
    if as_json:
        output.print_json("rules", json_shapes.rules_json(m))
        return
    output.write(terminal.rules(m, options(ctx).today))
    for gap in gaps(m):
        output.warn(gap)


@rules_app.command("set")
def rules_set(
    ctx: typer.Context,
    field: Annotated[
        str, typer.Argument(help="The rule, e.g. confidentiality, response_time, review.")
    ],
    value: Annotated[str, typer.Argument(help="Its new wording or value.")],
) -> None:
    """Renegotiate one rule; the other person then agrees again with `rules agree`."""
    from mentorkit.domain.agreement import set_rule
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(opts, lambda m, role: (None, set_rule(m, field, value, role, opts.today)))
    success(message)
    from mentorkit.domain.workingtime import response_time_problem
    from mentorkit.output import warn

    problem = response_time_problem(field.strip().lower().replace("-", "_"), value)
    if problem and field.strip().lower().replace("-", "_") in (
        "response_time",
        "urgent_response_time",
    ):
        warn(problem)


@rules_app.command("agree")
def rules_agree(ctx: typer.Context) -> None:
    """Record that you agree to the current ground rules."""
    from mentorkit.domain.agreement import agree
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(opts, lambda m, role: (None, agree(m, role, opts.today)))
    success(message)
