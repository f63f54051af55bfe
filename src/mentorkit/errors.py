"""The one error hierarchy. Only the CLI's top level turns these into output and exit codes."""


class MentorkitError(Exception):
    """Something the user can fix; the message is one clear sentence."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageProblem(MentorkitError):
    """An argument or option value that cannot be used (a bad date, an unknown role)."""

    exit_code = 2


class NotFound(MentorkitError):
    """No file, no item with that ID."""

    exit_code = 3


class InvalidFile(MentorkitError):
    """The mentorship file cannot be read or does not validate."""

    exit_code = 4

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class CommentsInTheWay(MentorkitError):
    """A valid file whose comments the change would drop (allowed with --drop-comments)."""

    exit_code = 1


class Busy(MentorkitError):
    """Another mentorkit process holds the file for longer than we are willing to wait."""

    exit_code = 5


class GitProblem(MentorkitError):
    """A git command failed in a way the user has to sort out."""

    exit_code = 6


class EnvironmentProblem(MentorkitError):
    """The machine got in the way (disk full, read-only, no permission, a closed output);
    the message says whether the change was saved and committed."""

    exit_code = 74


class Interrupted(MentorkitError):
    """Ctrl-C or a termination signal; the message says whether the change was saved."""

    exit_code = 130


class MailNotSent(MentorkitError):
    """Mail could not go now (server down, a timeout, a recipient refused, the remote
    that keeps the record of what was sent out of reach); nothing was recorded as sent
    to whoever did not get it, and the next run tries again."""

    exit_code = 75


class MailSettingsProblem(MentorkitError):
    """The mail settings are missing or were refused (no server, a refused login, a
    certificate not trusted)."""

    exit_code = 78


class PairsUnread(MentorkitError):
    """`program status`/`report`: some pairs could not be read (each is listed with the
    reason); the others were shown."""

    exit_code = 7


class CalendarConflict(MentorkitError):
    """Items changed in the CalDAV calendar since the last sync were not overwritten (the
    rest was synced); `calendar sync --overwrite` puts the file's version back."""

    exit_code = 8


class CalendarUnreachable(MentorkitError):
    """The calendar server could not be reached or did not answer in time; what was not
    done is kept pending and the next sync (or change) does it."""

    exit_code = 75


class CalendarSettingsProblem(MentorkitError):
    """No calendar is connected, or the server refused it: a wrong password (401), no
    permission (403), a URL that is not a calendar collection."""

    exit_code = 78
