"""mentorkit: one mentorship, one YAML file, one git repository."""

import os as _os
import signal as _signal
import sys as _sys

__version__ = "0.1.0"


def _interrupted_while_starting(signum: int, frame: object) -> None:
    _os.write(2, b"interrupted; nothing was changed\n")
    _os._exit(130)


# Ctrl-C or SIGTERM while Python is still importing the command line: a sentence, not a
# traceback or a silent exit. `main()` installs the handlers that report interrupts itself.
if _sys.argv and (_sys.argv[0] == "-m" or _os.path.basename(_sys.argv[0]) == "mentorkit"):
    _signal.signal(_signal.SIGINT, _interrupted_while_starting)
    _signal.signal(_signal.SIGTERM, _interrupted_while_starting)
