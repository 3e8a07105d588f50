"""Attendance: check-in by the point's QR poster, the desk of the day, no-shows (``services``), and
what is counted from it — served hours and the volunteer's certificate."""
