"""mentorkit: one mentorship, one YAML file, one git repository."""

__version__ = "0.1.0"
