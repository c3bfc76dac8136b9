"""Django's PostgreSQL backend with a time limit on every wait for the server.

A PostgreSQL server that is frozen or cut off by the network keeps its TCP connections open,
so a query would wait for an answer until gunicorn kills the worker, and every worker would
end up stuck. Here every round trip gives up after DATABASE_QUERY_TIMEOUT seconds (the
health check of a kept connection after one second), the connection is closed, and the
request gets the 503 page; the next request connects again, within DATABASE_CONNECT_TIMEOUT.
The server's own statement_timeout (set in the settings) stops slow queries first.
"""

from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import IsolationLevel
from psycopg import errors as psycopg_errors

HEALTH_CHECK_SECONDS = 1.0


class TimedConnection(psycopg.Connection):
    """A psycopg connection whose every wait for the server ends after `wait_timeout`."""

    wait_timeout = None

    def wait(self, gen, interval=0.1, timeout=None):
        limit = timeout if timeout is not None else self.wait_timeout
        try:
            return super().wait(gen, interval=interval, timeout=limit)
        except psycopg_errors._WaitTimeout:
            # Half-way through a round trip, the connection cannot be used again.
            self.close()
            raise psycopg.OperationalError(
                f"The database did not answer within {limit:g} s; the connection is closed."
            ) from None

    @contextmanager
    def waiting_at_most(self, seconds):
        previous, self.wait_timeout = self.wait_timeout, seconds
        try:
            yield
        finally:
            self.wait_timeout = previous


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        # The settings use neither a connection pool nor an isolation level of their own,
        # the two things Django's version of this method also handles.
        self.isolation_level = IsolationLevel.READ_COMMITTED
        connection = TimedConnection.connect(**conn_params)
        connection.wait_timeout = settings.DATABASE_QUERY_TIMEOUT or None
        return connection

    def is_usable(self):
        if self.connection is None:
            return False
        with self.connection.waiting_at_most(HEALTH_CHECK_SECONDS):
            return super().is_usable()
