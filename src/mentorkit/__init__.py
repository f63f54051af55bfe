"""mentorkit: one mentorship, one YAML file, one git repository."""

# Ctrl-C, SIGTERM or SIGHUP while Python is still importing the command line: a sentence and
# exit 130, not a traceback or a silent death by the signal. First thing, and through the
# built-in `_signal` (the `signal` module imports enum and functools: ~10-40 ms of start-up
# during which a signal would find no handler). `main()` installs the handlers that report
# interrupts itself.
import _signal
import os as _os
import sys as _sys

if _sys.argv and (_sys.argv[0] == "-m" or _os.path.basename(_sys.argv[0]) == "mentorkit"):

    def _interrupted_while_starting(signum: int, frame: object) -> None:
        _os.write(2, b"interrupted; nothing was changed\n")
        _os._exit(130)

    for _signum in (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP):
        _signal.signal(_signum, _interrupted_while_starting)

    # A command is short-lived and makes many objects that live as long as it does (the
    # modules' classes, the model read from the cache, the history's events): the collector
    # looks for cycles after every 50,000 new objects instead of 700, which spares 2-4% of a
    # warm `checkin` or `report` and still frees cyclic garbage during a long first run.
    import gc as _gc

    _gc.set_threshold(50_000, 10, 10)

__version__ = "0.1.0"
