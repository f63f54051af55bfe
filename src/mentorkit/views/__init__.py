"""Views: results turned into terminal lines, Markdown, HTML, iCalendar and the --json shapes."""
