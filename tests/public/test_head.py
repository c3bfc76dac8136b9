"""HEAD answers like GET without a body: calendar apps and link checkers send it.

The addresses come from the URL resolver, so a new route is walked without being listed here;
a route whose argument this file cannot fill fails until it can."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver, reverse

from attendees import change_emails
from attendees.models import AgendaEntry, AgendaFeed
from schedule.models import Session

pytestmark = pytest.mark.django_db

# Organisers' pages, not a visitor's or a calendar app's.
SKIPPED_NAMESPACES = {"admin", "organisers"}


def routes(patterns=None, namespace="", arguments=()):
    """(name to reverse, namespace, names of its arguments) for every named route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        names = (*arguments, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            if pattern.namespace not in SKIPPED_NAMESPACES:
                yield from routes(pattern.url_patterns, inner, names)
        elif pattern.name:
            yield ":".join(filter(None, [namespace, pattern.name])), namespace, names


@pytest.fixture
def visitor(client, demo_conference):
    """A signed-in person with a session in their agenda and a calendar address."""
    user = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    session = Session.objects.filter(conference=demo_conference, speakers__isnull=False).first()
    AgendaEntry.objects.create(user=user, session=session)
    client.force_login(user)
    return {
        "conference": demo_conference.slug,
        "day": session.start.astimezone(demo_conference.zone).date().isoformat(),
        "slug": session.slug,
        "speaker": session.speakers.first().slug,
        "stage": session.stage.slug,
        "pk": session.pk,
        "token": AgendaFeed.objects.for_person(user, demo_conference).token,
        "unsubscribe_token": change_emails.unsubscribe_token(user),
        # allauth's links from emails: unknown keys, answered alike either way
        "key": "not-a-key",
        "uidb36": "0",
        "size": 192,  # the installed app's icons
    }


def every_address(values):
    for name, namespace, arguments in routes():
        kwargs = {argument: values[argument] for argument in arguments}
        if namespace == "speakers" and "slug" in kwargs:
            kwargs["slug"] = values["speaker"]
        yield reverse(name, kwargs=kwargs)
    conference = values["conference"]
    yield "/healthz"
    yield f"/{conference}/schedule.ics?track=compilers-kernels&type=breakout"
    yield f"/{conference}/schedule.ics?track=no-such-track"
    yield f"/{conference}/schedule/?track=compilers-kernels&layout=list"
    yield f"/{conference}/agenda/not-a-token.ics"


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_head_answers_like_get_without_a_body_on_every_address(client, visitor, signed_in):
    if not signed_in:
        client.logout()
    addresses = list(every_address(visitor))
    answers = {}
    for url in addresses:
        get = client.get(url)
        head = client.head(url)
        answers[url] = (get.status_code, head.status_code)
        assert head.status_code == get.status_code, url
        assert head.get("Content-Type") == get.get("Content-Type"), url
        assert head.get("Content-Length") == get.get("Content-Length"), url
        assert head.content == b"", url

    # Every page a visitor opens and every feed a calendar polls answers, HEAD included.
    for url in [
        "/healthz",
        f"/{visitor['conference']}/schedule.ics",
        f"/{visitor['conference']}/schedule.ics?track=compilers-kernels&type=breakout",
        f"/{visitor['conference']}/sessions/{visitor['slug']}.ics",
        f"/{visitor['conference']}/agenda/{visitor['token']}.ics",
        f"/{visitor['conference']}/schedule/{visitor['day']}/",
        f"/{visitor['conference']}/speakers/{visitor['speaker']}/",
        f"/{visitor['conference']}/embed/{visitor['day']}/",
        f"/{visitor['conference']}/print/{visitor['day']}/",
        f"/{visitor['conference']}/rooms/{visitor['stage']}/",
        f"/{visitor['conference']}/s/{visitor['pk']}/card.png",
        "/accounts/profile/" if signed_in else "/accounts/login/",
    ]:
        assert answers[url] == (200, 200), url


def test_head_of_a_feed_is_conditional_like_get(client, visitor):
    url = f"/{visitor['conference']}/agenda/{visitor['token']}.ics"
    etag = client.get(url)["ETag"]

    response = client.head(url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag


def test_post_only_actions_still_refuse_head(client, visitor):
    url = f"/{visitor['conference']}/sessions/{visitor['slug']}/agenda/"

    assert client.head(url).status_code == 405
