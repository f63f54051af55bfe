"""Sending email: the settings from git's configuration, and delivery by SMTP or a sendmail-compatible command."""
