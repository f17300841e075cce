"""The queries an API list costs, to show it bounded: the same for a page of one row as for a page of many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(client, url: str, headers: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url, **headers)
    assert answer.status_code == 200, answer.content
    return len(captured)
