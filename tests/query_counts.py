"""Query-count assertions for dashboards and lists: the number of queries a page makes must not grow
with the number of rows it shows (an N+1 fails here), and stays under a ceiling.

    assert_constant_queries(client, url, grow=lambda: add_three_more_rows(), max_queries=25)

The page is requested once to warm per-process caches (the territorial axis, the session), then
counted, then `grow()` adds rows, then counted again: both counts must be equal.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def assert_constant_queries(client, url, *, grow, max_queries: int, params=None, rows_shown=None):
    count_queries(client, url, params)
    before = count_queries(client, url, params)
    shown_before = rows_shown() if rows_shown else None
    grow()
    after = count_queries(client, url, params)
    if rows_shown:
        assert rows_shown() > shown_before, "grow() must add rows the page shows"
    assert after == before, f"{url}: {before} queries, then {after} with more rows (N+1)"
    assert after <= max_queries, f"{url}: {after} queries (ceiling {max_queries})"
