"""When Redis goes away or freezes, people still log in and sign up, and a logout stays final.

Each test runs a Redis server of its own (tests/services.py) and kills or freezes it; the
shared Redis is never touched.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client, override_settings

from config.cache import Outage
from tests.services import RedisServer, wait_until

PASSWORD = "a long passphrase 1"

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def persistent_redis(tmp_path):
    server = RedisServer(tmp_path, persistent=True).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fresh_outages():
    Outage.by_location.clear()
    yield
    Outage.by_location.clear()


def redis_cache(server):
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "config.cache.ResilientRedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            }
        }
    )


def person(email="ada@example.org"):
    user = get_user_model().objects.create_user(email.split("@")[0], email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(client, email="ada@example.org", password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in(client):
    return client.get("/accounts/profile/").status_code == 200


def test_people_log_in_and_sign_up_while_redis_is_down(redis, caplog):
    person()
    redis.kill()
    with redis_cache(redis):
        logins = [log_in(Client()) for _attempt in range(12)]
        signup = Client().post(
            "/accounts/signup/",
            {"email": "grace@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )

    assert [response.status_code for response in logins] == [302] * 12
    assert signup.status_code == 302
    assert get_user_model().objects.filter(email="grace@example.org").exists()
    outages = [r for r in caplog.records if r.getMessage().startswith("Redis is unreachable")]
    assert len(outages) == 1


def test_a_logout_is_final_even_when_redis_comes_back_with_its_data(persistent_redis):
    person()
    client = Client()
    with redis_cache(persistent_redis):
        assert log_in(client).status_code == 302
        assert signed_in(client)
        persistent_redis.kill()
        client.post("/accounts/logout/")
        Outage.by_location.clear()  # Redis is back before the next request
        persistent_redis.start()

        assert not signed_in(client)


def test_a_frozen_redis_costs_one_timeout_then_is_left_alone_until_it_is_probed(redis):
    Outage.retry_seconds = 0.5
    try:
        with redis_cache(redis):
            cache = caches["default"]
            cache.set("version", 7)
            redis.freeze()
            assert cache.get("version", "from the database") == "from the database"
            redis.thaw()
            # Redis answers again, but the cache does not ask it until the retry time.
            assert cache.get("version", "from the database") == "from the database"

            assert wait_until(lambda: cache.get("version") == 7, timeout=5)
    finally:
        Outage.retry_seconds = 5.0


def test_pages_render_from_the_database_while_redis_is_frozen(redis, demo_conference):
    redis.freeze()
    with redis_cache(redis):
        responses = [Client().get(f"/{demo_conference.slug}/schedule/") for _page in range(3)]

    assert [response.status_code for response in responses] == [200] * 3
    assert all(b"Keynote" in response.content for response in responses)


def test_a_password_change_ends_the_other_logins():
    person()
    phone, laptop = Client(), Client()
    log_in(phone)
    log_in(laptop)

    laptop.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another passphrase 2",
            "password2": "another passphrase 2",
        },
    )

    assert not signed_in(phone)
    assert signed_in(laptop)


def test_sign_out_everywhere_ends_every_login_until_the_next_one():
    person()
    phone, laptop = Client(), Client()
    log_in(phone)
    log_in(laptop)

    response = laptop.post("/accounts/sign-out-everywhere/")

    assert response.status_code == 302
    assert not signed_in(phone)
    assert not signed_in(laptop)
    log_in(phone)
    assert signed_in(phone)


def test_the_profile_page_offers_sign_out_everywhere():
    person()
    client = Client()
    log_in(client)

    page = client.get("/accounts/profile/").content.decode()

    assert 'action="/accounts/sign-out-everywhere/"' in page
    assert "Sign out everywhere" in page
