"""Reading iCalendar feeds: scan, plain reader, conversion, expansion, recurrence rules."""
