"""The Hội An demo behind ``manage.py load_demo``: made-up people and weeks, never real data.

- ``area``: the four units, their branches, 30 volunteers, service points and one login per role;
- ``campaigns``: the 10/10 campaign with its parade event;
- ``history``: the last weeks of rosters, queue, help sessions, ratings and campaigns.

It writes through every domain app's services, so it sits in the top layer beside the API: no other
app imports it.
"""
