"""My shifts: the volunteers' own pages — their shifts, open places, confirm / can't come / swap
(``changes``), availability and preferences, the personal calendar feed (``ical``) — and the
leaders' list of unconfirmed places."""
