"""A frozen or cut-off PostgreSQL: pages answer 503 within seconds, /healthz says so, and the
site recovers by itself. gunicorn reaches a database of the test's own through a TCP proxy
that the test freezes and cuts (tests/services.py); the shared server is never touched."""

import http.client
import time

import pytest

from tests.services import TcpProxy, gunicorn, manage, postgres_database, production_env, wait_until

pytestmark = pytest.mark.once
SCHEDULE = "/pytorch-conference-europe-2026/schedule/"
# A page no cache holds yet: the shared schedule page may be answered from a worker's cache
# (no database) through the outage.
UNCACHED = SCHEDULE + "?q=keynote"


@pytest.fixture(scope="module")
def proxy():
    tcp_proxy = TcpProxy(5432).start()
    yield tcp_proxy
    tcp_proxy.stop()


@pytest.fixture(scope="module")
def server(proxy, tmp_path_factory):
    """One gunicorn for the module's tests, each of which leaves the proxy as it found it."""
    with postgres_database("faults") as url:
        env = production_env(tmp_path_factory.mktemp("database-faults"), DATABASE_URL=url)
        env.pop("REDIS_URL", None)
        manage(env, ["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"])
        through_proxy = url.replace(":5432/", f":{proxy.port}/")
        with gunicorn({**env, "DATABASE_URL": through_proxy}) as port:
            assert wait_until(lambda: get(port, "/healthz")[0] == 200, timeout=30)
            yield port


def get(port, path):
    """(status, Retry-After, seconds taken); a hang shows as the client's own 40 s timeout."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=40)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After"), time.monotonic() - started
    except OSError:
        return None, None, time.monotonic() - started
    finally:
        conn.close()


def test_a_frozen_database_gives_503_in_seconds_and_the_site_recovers_by_itself(server, proxy):
    assert get(server, SCHEDULE)[0] == 200

    proxy.freeze()
    page = get(server, UNCACHED)
    health = get(server, "/healthz")
    proxy.thaw()

    assert page[:2] == (503, "30")
    assert health[0] == 503
    assert wait_until(lambda: get(server, SCHEDULE)[0] == 200, timeout=20)
    print(f"frozen: page 503 after {page[2]:.1f} s, /healthz 503 after {health[2]:.1f} s")


def test_a_database_that_drops_every_connection_gives_503_then_recovers(server, proxy):
    assert get(server, SCHEDULE)[0] == 200

    proxy.cut()
    page = get(server, UNCACHED)
    health = get(server, "/healthz")
    proxy.restore()

    assert page[:2] == (503, "30")
    assert health[0] == 503
    assert wait_until(lambda: get(server, SCHEDULE)[0] == 200, timeout=20)
    print(f"cut: page 503 after {page[2]:.1f} s, /healthz 503 after {health[2]:.1f} s")
