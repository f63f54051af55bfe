"""Keeping a CalDAV calendar collection holding what `export ics` makes of the file."""
