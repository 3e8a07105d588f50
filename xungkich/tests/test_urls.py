"""No two pages answer at the same address: the later one would never be reached.

(Two apps both once claimed ``/accounts/join/<token>/``: the invitation link and the unit's sign-up
link.) The JSON API is left out: django-ninja registers one pattern per group of methods on a path.
"""

from collections import Counter

from django.urls import URLPattern, URLResolver, get_resolver


def _addresses(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _addresses(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_no_two_pages_share_an_address():
    counts = Counter(address for address in _addresses(get_resolver()) if not address.startswith("api/"))
    assert len(counts) > 100  # the walk reached the apps' pages
    assert [address for address, count in counts.items() if count > 1] == []
