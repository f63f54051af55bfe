"""`python -m mentorkit`: the same command line as the `mentorkit` script."""

from mentorkit.cli import main

main()
