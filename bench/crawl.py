"""Every public page, partial, feed and export of the demo conference, written to a folder so
that two versions of the code can be compared byte for byte (a refactoring must not change
what anyone sees).

CSRF tokens are replaced by a placeholder, whitespace between tags dropped and other runs of
whitespace collapsed;
the clock is fixed in the middle of the conference's first day so "now" is the same.

    .venv/bin/python bench/crawl.py OUT_DIR
    diff -r before/ after/
"""

import hashlib
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = "pytorch-conference-europe-2026"
DATABASE = Path(tempfile.gettempdir()) / "crawl.sqlite3"

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ?"|csrftoken=)[A-Za-z0-9]{32,64}')
WHITESPACE = re.compile(r"\s+")
BETWEEN_TAGS = re.compile(r">\s+<")


def setup():
    sys.path.insert(0, str(ROOT))
    DATABASE.unlink(missing_ok=True)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{DATABASE}",
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        SECRET_KEY="crawl-only-" + "x" * 50,
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="testserver",
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(Path(tempfile.gettempdir()) / "crawl-static"),
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("loaddata", str(ROOT / "fixtures" / f"{DEMO}.json"), verbosity=0)


def main(out):
    setup()
    import time_machine
    from django.contrib.auth import get_user_model
    from django.test import Client

    from attendees.models import AgendaEntry, AgendaFeed, Registration
    from conference.models import Conference

    conference = Conference.objects.get(slug=DEMO)
    sessions = list(conference.sessions.order_by("start", "slug"))
    limited = sessions[5]
    # update(), not save(): `updated` would take today's date and differ between runs.
    conference.sessions.filter(pk=limited.pk).update(seat_limit=3)
    limited.seat_limit = 3
    speakers = list(conference.speakers.order_by("slug"))
    base = f"/{DEMO}"
    days = [day.isoformat() for day in conference.days]
    paths = [
        "/",
        f"{base}/",
        f"{base}/schedule/",
        f"{base}/schedule/?layout=list",
        f"{base}/schedule/?tz=America/Los_Angeles&clock=12",
        f"{base}/schedule/?q=pytorch",
        f"{base}/schedule/?q=zzzz",
        f"{base}/schedule/?stage=nope",
        f"{base}/schedule/?tz=Nowhere/Land",
        f"{base}/schedule/2026-13-01/",
        f"{base}/schedule.ics",
        f"{base}/schedule.xml",
        f"{base}/schedule.json",
        f"{base}/schedule.csv",
        f"{base}/colours.css",
        f"{base}/now/",
        f"{base}/timezone/",
        f"{base}/agenda/",
        f"{base}/speakers/",
        f"{base}/speakers/?q=meta",
        f"{base}/sessions/no-such-session/",
        "/no-such-conference/schedule/",
        f"{base}/changes/",
        f"{base}/changes.atom",
        f"{base}/changes.json",
        f"{base}/embed/",
        f"{base}/print/",
        f"{base}/rooms/",
        f"{base}/manifest.webmanifest",
        f"{base}/version.json",
        f"{base}/offline.json",
        f"{base}/offline/",
        f"{base}/sw.js",
    ]
    for day in days:
        paths += [
            f"{base}/schedule/{day}/?layout=grid",
            f"{base}/schedule/{day}/?layout=list",
            f"{base}/schedule/{day}/?layout=grid&tz=Asia/Kolkata",
        ]
    for part, items in (
        ("stage", conference.stages),
        ("track", conference.tracks),
        ("type", conference.sessiontypes),
    ):
        for item in items.all()[:2]:
            paths.append(f"{base}/schedule/{days[0]}/?{part}={item.slug}&layout=list")
    for stage in conference.stages.all():
        paths.append(f"{base}/rooms/{stage.slug}/")
    for session in sessions:
        paths += [f"{base}/sessions/{session.slug}/", f"{base}/sessions/{session.slug}.ics"]
    for speaker in speakers:
        paths += [f"{base}/speakers/{speaker.slug}/", f"{base}/speakers/{speaker.slug}/bio/?full=1"]

    user = get_user_model().objects.create_user("crawl", "crawl@example.org", "a long password 1")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    Registration.objects.create(conference=conference, email=user.email, name="Crawl")
    for session in sessions[:4]:
        AgendaEntry.objects.create(user=user, session=session)
    AgendaFeed.objects.create(user=user, conference=conference, token="crawl-token")
    signed_in_paths = [
        f"{base}/schedule/{days[0]}/?layout=grid",
        f"{base}/schedule/{days[0]}/?layout=list&mine=1",
        f"{base}/agenda/",
        f"{base}/agenda/crawl-token.ics",
        f"{base}/sessions/{limited.slug}/",
        "/accounts/profile/",
    ]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with time_machine.travel("2026-04-07T08:35:00Z", tick=False):
        anonymous = Client()
        for path in paths:
            write(out, "anon", path, anonymous.get(path))
            write(
                out,
                "htmx",
                path,
                anonymous.get(
                    path, headers={"HX-Request": "true", "HX-Target": "schedule-results"}
                ),
            )
        post = anonymous.post(
            f"{base}/sessions/{sessions[0].slug}/agenda/",
            {"action": "add"},
            headers={"HX-Request": "true"},
        )
        write(out, "post", "toggle-anon", post)
        write(out, "anon-after-toggle", "agenda", anonymous.get(f"{base}/agenda/"))
        signed_in = Client()
        signed_in.force_login(user)
        for path in signed_in_paths:
            write(out, "user", path, signed_in.get(path))
        for action in ("reserve", "cancel", "join"):
            response = signed_in.post(
                f"{base}/sessions/{limited.slug}/seat/",
                {"action": action},
                headers={"HX-Request": "true"},
            )
            write(out, "seat", action, response)
        write(
            out,
            "user-toggle",
            "remove",
            signed_in.post(f"{base}/sessions/{sessions[0].slug}/agenda/", {"action": "remove"}),
        )
    print(f"{len(list(out.iterdir()))} responses written to {out}")


def write(out, kind, path, response):
    name = hashlib.sha256(f"{kind} {path}".encode()).hexdigest()[:16]
    body = response.content.decode("utf-8", "replace") if not response.streaming else ""
    body = CSRF.sub(r"\1TOKEN", body)
    body = BETWEEN_TAGS.sub("><", WHITESPACE.sub(" ", body))
    head = [
        f"{kind} {path}",
        str(response.status_code),
        response.get("Content-Type", ""),
        response.get("Location", ""),
    ]
    (out / name).write_text("\n".join(head) + "\n" + body.replace("><", ">\n<") + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
