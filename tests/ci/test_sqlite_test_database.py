"""The test database on SQLite is in memory, one per xdist worker, as with Django's own backend.

Our SQLite backend (`sanxiang.sqlite_backend`, owner-only database files) has another engine name,
so pytest-django did not recognise it as SQLite and gave each worker a file database named
`test_/abs/path/sanxiang.sqlite3_gw0`, relative to the working directory: files in the checkout and a
slower suite. The settings keep the test database in memory."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_sqlite_test_database_is_in_memory():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL test databases are named by pytest-django per worker")
    assert connection.is_in_memory_db(), connection.settings_dict["NAME"]
