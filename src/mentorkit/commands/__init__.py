"""The commands: the Typer skin, one module per noun of the command line; each command parses
its arguments, calls one domain function and hands the result to a view."""
