"""What an attacker would send: every route of the site (public pages, account pages, the
admin), as anonymous, a registered attendee and a staff superuser, with hostile path values,
query strings and form fields, wrong methods and open-redirect `next`s.

Every answer must be below 500 (the database is up), never reflect markup unescaped, never
redirect off the site, and refuse a NUL in the query or form with 400 before it reaches the
database. The sweep records every broken rule and fails once at the end, listing them all
grouped, with the request count and a status-code histogram (`pytest -s` prints them on
success too)."""

import logging
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.template.base import Template
from django.urls import reverse
from django.utils.http import int_to_base36

from attendees import change_emails
from attendees.models import AgendaFeed, ChangeEmail, Profile, Registration
from attendees.seats import reserve_seat
from schedule import versions
from schedule.models import Session
from tests import hostile
from tests.attendees.conftest import make_attendee
from tests.factories import (
    ConferenceFactory,
    SessionFactory,
    SessionTypeFactory,
    SpeakerFactory,
    StageFactory,
    TrackFactory,
)
from tests.hostile import (
    ATTRIBUTE,
    CORE,
    HOSTILE,
    MARKUP,
    Sweep,
    multipart,
    post_forms,
    urlencoded,
    values_for,
    wire,
)

pytestmark = pytest.mark.django_db

USERS = ("anonymous", "attendee", "staff")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CONFERENCE_PAGES = {
    "schedule:schedule",
    "schedule:day",
    "schedule:session",
    "schedule:now",
    "schedule:timezone",
    "schedule:changes",
    "attendees:agenda",
    "attendees:change_seen",
    "attendees:changes_seen",
    "attendees:toggle",
    "attendees:seat",
    "speakers:list",
    "speakers:detail",
    "speakers:bio",
    "schedule:embed",
    "schedule:embed_day",
    "schedule:print",
    "schedule:print_day",
    "schedule:rooms",
    "schedule:room",
}
FILTERS = ["q", "stage", "track", "type", "speaker", "mine", "layout"]
# What each route reads from its query string (grep request.GET), beyond the timezone and
# clock of every conference page, `next` of the account pages and the admin's own.
QUERY_PARAMS = {
    "schedule:schedule": FILTERS,
    "schedule:day": FILTERS,
    "speakers:list": ["q"],
    "schedule:embed": [*FILTERS, "from"],
    "schedule:embed_day": [*FILTERS, "from"],
    "schedule:print": FILTERS,
    "schedule:print_day": FILTERS,
    "schedule:session_card": ["v"],
    "speakers:bio": ["full"],
    "schedule:timezone": ["next"],
    "attendees:toggle": ["next"],
    "attendees:seat": ["next"],
    "attendees:change_seen": ["next"],
    "attendees:changes_seen": ["next"],
    "schedule:changes": ["page"],
    "admin:login": ["next"],
    "admin:autocomplete": ["term", "app_label", "model_name", "field_name", "page"],
    "admin:schedule_session_changelist": [
        "day",
        "stage__id__exact",
        "track__id__exact",
        "session_type__id__exact",
        "status__exact",
    ],
    "admin:attendees_registration_changelist": ["ticket_type", "ticket_type__isnull"],
}
CHANGELIST_PARAMS = ["q", "o", "p", "conference__id__exact"]
ADMIN_FORM_PARAMS = ["_changelist_filters", "_to_field", "_popup"]
# Parameters no view reads: still parsed, logged and copied into the page's own links.
UNKNOWN = "utm_source"
HTMX = {"HX-Request": "true"}

# Parameters that code shared by many pages reads: every hostile value on one page, a sample
# on the others.
SHARED = {
    **dict.fromkeys(FILTERS, "schedule:schedule"),
    "conference": "schedule:schedule",
    "tz": "schedule:schedule",
    "clock": "schedule:schedule",
    "preview": "schedule:schedule",
    "next": "account_login",
    "key": "account_confirm_email",
    "uidb36": "account_reset_password_from_key",
    "_popup": "admin:schedule_session_change",
    "_to_field": "admin:schedule_session_change",
    "_changelist_filters": "admin:schedule_session_change",
    "o": "admin:schedule_session_changelist",
    "p": "admin:schedule_session_changelist",
    "conference__id__exact": "admin:schedule_session_changelist",
    "object_id": "admin:schedule_session_change",
}
# Who gets every value: the person whose pages read the parameter in their own way (an
# attendee's agenda, the admin's staff); the others get a sample.
PERSON = {"mine": "attendee"}
# A NUL anywhere is refused before any view runs: each route gets its own NUL as an unknown
# parameter, so a sample does without one.
SAMPLE = ["empty", "crlf"]
# A hostile timezone renders the whole timezone selector, the costliest answer of the site;
# the admin's own parameters are Django's: a smaller sample.
SAMPLES = {
    **dict.fromkeys(["tz", "clock", "next", "o", "p"], ("script",)),
    **dict.fromkeys(["_popup", "_changelist_filters"], ()),
    "_to_field": ("empty",),
}
# The project's own admin forms: the core values and the ones its fields are likely to mind.
OWN = [*CORE, "-1", "empty", "traversal"]
# All of an admin form's fields at once, with the values that break a field's type.
AT_ONCE = ["nul", "100kB", "2**63", "script"]


# In the admin: every value where the project's own code reads the parameter, fewer where
# Django's does (its search runs each model's own search fields, so a few there).
ADMIN_OWN = {"day", "object_id", "pk", "id"}
ADMIN_SEARCH = ["nul", "100kB", "script", "wildcards", "emoji"]
ADMIN_DJANGO = ["nul", "empty", "script", "2**63"]


def labels(route, param, user):
    """Which hostile values a parameter of a route gets as a user."""
    sample = SAMPLES.get(param, SAMPLE)
    shared = SHARED.get(param, route.name)
    if shared != route.name and shared.startswith("admin:") == route.is_admin:
        return sample
    if user != ("staff" if route.is_admin else PERSON.get(param, "anonymous")):
        return sample
    if route.is_admin and param == "q":
        return ADMIN_SEARCH
    if route.is_admin and param not in ADMIN_OWN:
        return ADMIN_DJANGO
    return list(HOSTILE)


@pytest.fixture
def site(demo_conference):
    """The demo conference with a limited session, an attendee and a superuser, and a second
    conference whose objects the admin may change and delete without harming the demo."""
    conference = demo_conference
    limited = conference.sessions.order_by("start", "id").first()
    limited.seat_limit = 2
    limited.save()
    attendee = make_attendee(conference, "ada@example.org")
    Profile.objects.update_or_create(user=attendee, defaults={"display_name": "Ada"})
    staff = get_user_model().objects.create_superuser("root", "root@example.org", None)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)

    other = ConferenceFactory(name="Sacrificial Conf", slug="sacrificial")
    stage = StageFactory(conference=other)
    speaker = SpeakerFactory(conference=other)
    session = SessionFactory(
        conference=other,
        stage=stage,
        track=TrackFactory(conference=other),
        session_type=SessionTypeFactory(conference=other),
        seat_limit=3,
        speakers=[speaker],
    )
    bob = make_attendee(other, "bob@example.org")
    reserve_seat(session=session, user=bob)
    change_email = ChangeEmail.objects.create(user=bob, version=versions.publish(other))
    sacrificial = {
        "attendees/changeemail": change_email.pk,
        "django_tasks_database/dbtaskresult": change_emails.send_change_email.enqueue(
            change_email.pk
        ).id,
        "auth/group": Group.objects.create(name="Volunteers").pk,
        "auth/user": bob.pk,
        "account/emailaddress": EmailAddress.objects.get(user=bob).pk,
        "attendees/registration": Registration.objects.get(email="bob@example.org").pk,
        "attendees/sessionseats": session.pk,
        "conference/conference": other.pk,
        "conference/stage": stage.pk,
        "conference/track": session.track_id,
        "conference/sessiontype": session.session_type_id,
        "schedule/session": session.pk,
        "speakers/speaker": speaker.pk,
    }
    return {
        "conference": conference,
        "session": limited,
        "speaker": conference.speakers.order_by("id").first(),
        "attendee": attendee,
        "staff": staff,
        "other": other,
        "other_session": session,
        "bob": bob,
        "sacrificial": sacrificial,
    }


def good_values(route, site):
    """A working value (percent-encoded) for each path parameter of a route."""
    conference = site["conference"]
    values = {}
    for param in route.params:
        if param == "conference":
            values[param] = conference.slug
        elif param == "day":
            values[param] = conference.start_date.isoformat()
        elif param == "slug":
            thing = site["speaker"] if route.name.startswith("speakers:") else site["session"]
            values[param] = thing.slug
        elif param == "stage":
            values[param] = site["session"].stage.slug
        elif param == "token":
            values[param] = AgendaFeed.objects.for_person(site["attendee"], conference).token
        elif param == "unsubscribe_token":
            values[param] = change_emails.unsubscribe_token(site["attendee"])
        elif param == "content_type_id":
            values[param] = str(ContentType.objects.get_for_model(Session).pk)
        elif param == "object_id" and route.template.startswith("admin/r/"):
            values[param] = str(site["other_session"].pk)
        elif param == "object_id":
            model = "/".join(route.template.split("/")[1:3])
            values[param] = str(site["sacrificial"][model])
        elif param == "id":
            values[param] = str(site["bob"].pk)
        elif param == "pk":
            values[param] = str(site["other_session"].pk)
        elif param == "app_label":
            values[param] = "schedule"
        elif param == "url":
            values[param] = "no-such-page/"
        elif param == "key":
            values[param] = "no-such-key"
        elif param == "uidb36":
            values[param] = int_to_base36(site["attendee"].pk)
        elif param == "path":
            values[param] = "nothing.txt"
        elif param == "conference_pk":
            values[param] = str(conference.pk)
        elif param == "size":  # an installed app's icon
            values[param] = "192"
        elif param == "name":  # a speaker photo's content name: well-formed, not there
            values[param] = f"{'0' * 32}-96.webp"
        else:
            raise AssertionError(f"No working value for <{param}> in {route.template}")
    return values


def query_params(route):
    params = list(QUERY_PARAMS.get(route.name, []))
    if route.name in CONFERENCE_PAGES:
        params += ["tz", "clock", "preview"]
    if route.is_accounts:
        params.append("next")
    if route.name.endswith("_changelist"):
        params += CHANGELIST_PARAMS
    if route.name.endswith(("_add", "_change")):
        params += ADMIN_FORM_PARAMS
    return params


def crafted(param, site):
    """Values shaped like what a parameter expects, wrong inside: what an attacker crafts."""
    day, pk = site["conference"].start_date.isoformat(), site["conference"].pk
    return {
        "day": [
            ("huge-pk:day", wire(f"{2**63}:{day}")),
            ("-1:day", wire(f"-1:{day}")),
            ("pk:bad-day", wire(f"{pk}:2026-13-45")),
            ("pk:day:extra", wire(f"{pk}:{day}:x")),
        ],
        "o": [("1.-2.99", "1.-2.99"), ("-", "-")],
        "p": [("99999", "99999")],
        "page": [("99999", "99999")],
        "speaker": [("60 speakers", "&".join(f"speaker=s{n}" for n in range(60)))],
        "conference__id__exact": [("2**63", str(2**63))],
    }.get(param, [])


def plain_render(self, context):
    return self.nodelist.render(context)


# Once, in the SQLite run: its database probe catches a NUL or a refused value on SQLite as
# PostgreSQL would refuse it, and the sweep is the slowest test of the suite.
@pytest.mark.once
def test_hostile_requests_as_every_user(site, capsys, caplog, monkeypatch, settings):
    # Thousands of 4xx warnings would bury the report; the sweep records what matters.
    caplog.set_level(logging.CRITICAL, logger="django.request")
    caplog.set_level(logging.CRITICAL, logger="django.security")
    # A failed login or password check hashes a password: the fastest hasher will do.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Not the test client's copy of every template context: no check reads it, and it costs
    # a third of the sweep's time (a timezone selector renders 600 option templates).
    monkeypatch.setattr(Template, "_render", plain_render)
    routes = list(hostile.routes())
    assert len(routes) >= 100
    sweep = Sweep({"anonymous": None, "attendee": site["attendee"], "staff": site["staff"]})

    sweep.phase("methods", wrong_methods, routes, site)
    sweep.phase("paths", hostile_paths, routes, site)
    sweep.phase("queries", hostile_queries, routes, site)
    sweep.phase("public forms", public_forms, routes, site)
    sweep.phase("account forms", account_forms, routes, site)
    sweep.phase("admin forms", admin_forms, routes, site)

    report = sweep.report()
    with capsys.disabled():
        print("\n" + sweep.summary())
        print(f"{len(report)} distinct failures:")
        print("\n".join(report))
    assert sweep.count >= 3000
    assert not sweep.failures, f"{len(sweep.failures)} failed checks, {len(report)} distinct: above"


def wrong_methods(sweep, routes, site):
    """Every route with its working values, with every method, as everyone; a POST-only route
    (405 to GET) is sent the rest of the sweep by POST."""
    for route in routes:
        path = route.path(good_values(route, site))
        for user in USERS:
            for verb in methods(route, user):
                response = sweep.send(user, verb, path, route=route.name)
                if verb != "GET" or response is None:
                    continue
                if response.status_code == 405:
                    sweep.post_only.add(route.name)
                elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    sweep.pages[(user, path)] = response.content.decode()  # its forms, later


def methods(route, user):
    """The admin answers any method but POST as it answers GET, and an attendee as it
    answers anyone who is not staff."""
    if route.is_admin:
        # Staff's POSTs to the admin's forms come with the forms, below.
        posts = user == "anonymous" or (user == "staff" and not admin_form(route.name))
        return ("GET", "POST") if posts else ("GET",)
    return METHODS


def method(sweep, route):
    return "POST" if route.name in sweep.post_only else "GET"


def users(route):
    """The admin sends an attendee to its login page as it sends anyone: anonymous will do."""
    return ("anonymous", "staff") if route.is_admin else USERS


def hostile_paths(sweep, routes, site):
    """Each path parameter of each route with hostile values, the others working."""
    for route in routes:
        for param in route.params:
            for user in users(route):
                for label in labels(route, param, user):
                    path = route.path({**good_values(route, site), param: HOSTILE[label]})
                    sweep.send(
                        user, method(sweep, route), path, route=route.name, field=param, value=label
                    )


def hostile_queries(sweep, routes, site):
    """Each query parameter a route reads with hostile values; unknown ones on every route."""
    for route in routes:
        path = route.path(good_values(route, site))
        for user in users(route):
            # Staff on the public pages and others in the admin: the unknown parameters only.
            for param in query_params(route) if (user == "staff") == route.is_admin else ():
                pairs = values_for(param, labels(route, param, user)) + crafted(param, site)
                for label, value in pairs:
                    whole = value.startswith(f"{param}=")  # a crafted query of its own
                    query = value if whole else urlencoded([(param, value)])
                    sweep.send(
                        user,
                        method(sweep, route),
                        path,
                        query,
                        route=route.name,
                        field=param,
                        value=label,
                    )
            # Unknown parameters: a NUL alone, then every other hostile value at once (the
            # admin ignores them but for its changelists, which refuse them), for the person
            # the pages are for.
            rest = [(f"{UNKNOWN}{n}", v) for n, v in enumerate(HOSTILE.values()) if "%00" not in v]
            unknown = [("nul", f"{UNKNOWN}=%00"), ("all but NUL", urlencoded(rest))]
            if (user == "staff") != route.is_admin or (
                route.is_admin and not route.name.endswith("_changelist")
            ):
                unknown = unknown[:1]
            for label, query in unknown:
                sweep.send(
                    user,
                    method(sweep, route),
                    path,
                    query,
                    route=route.name,
                    field=UNKNOWN,
                    value=label,
                )


def send_fields(sweep, user, path, base, fields, chosen, *, route, headers=None, before=None):
    """POST the form `base` (name, wire value) with each of `fields` in turn set to each chosen
    hostile value (and the open-redirect targets for `next`), the other fields as they were."""
    for name in fields:
        for label, value in values_for(name, chosen):
            pairs = [(field, old) for field, old in base if field != name] + [(name, value)]
            if before:
                before()
            sweep.send(
                user,
                "POST",
                path,
                body=urlencoded(pairs),
                route=route,
                field=name,
                value=label,
                headers=headers,
            )


def send_all_at_once(sweep, user, path, base, chosen, *, route):
    """POST the form with every field set to the same hostile value, once per value (the
    inline formsets' counts stay: a huge count makes Django build 2,000 forms, for seconds)."""
    for label in chosen:
        pairs = [
            (name, value if MANAGEMENT.search(name) else HOSTILE[label])
            for name, value in base
            if name != "csrfmiddlewaretoken"
        ]
        sweep.send(user, "POST", path, body=urlencoded(pairs), route=route, field="*", value=label)


def page_forms(sweep, user, route, path):
    """The forms of a page as the user saw it (GET now if not yet), as wire pairs."""
    html = sweep.pages.get((user, path))
    if html is None:
        page = sweep.send(user, "GET", path, route=route, field="(page)")
        if page is None or page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            return []
        html = page.content.decode()
    return [
        (
            [(name, wire(value)) for name, value in form.fields],
            [(name, wire(value)) for name, value in form.buttons],
        )
        for form in post_forms(html, path)
    ]


def public_forms(sweep, routes, site):
    """The public site's POST views, each field with hostile values, `next` with open
    redirects; every value for the person the form is for, a sample for the others."""
    conference, session = site["conference"], site["session"]
    on_conference = {"conference": conference.slug}
    on_session = {**on_conference, "slug": session.slug}
    back = wire(reverse("schedule:schedule", kwargs=on_conference))
    forms = [
        ("attendees:toggle", on_session, [("action", "add"), ("next", back)], "attendee"),
        ("attendees:seat", on_session, [("action", "reserve"), ("next", back)], "attendee"),
        (
            "schedule:timezone",
            on_conference,
            [("tz", wire("Europe/London")), ("clock", "24"), ("next", back)],
            "anonymous",
        ),
        ("attendees:feed_reset", on_conference, [], "attendee"),
        (
            "profile",
            {},
            [("display_name", "Ada"), ("timezone", wire("Europe/Paris")), ("clock", "24")],
            "attendee",
        ),
        ("sign_out_everywhere", {}, [], "attendee"),
    ]
    known = {route.name for route in routes}
    for name, kwargs, base, person in forms:
        if name not in known:
            continue  # a page that comes and goes with the project, as "sign out everywhere"
        path = reverse(name, kwargs=kwargs)
        fields = [field for field, _value in base]
        # A refused timezone form shows the whole timezone selector again: fewer values.
        full = CORE if name in {"schedule:timezone", "profile"} else list(HOSTILE)
        for user in USERS:
            send_fields(
                sweep, user, path, base, fields, full if user == person else SAMPLE, route=name
            )
            send_fields(sweep, user, path, base, [UNKNOWN], SAMPLE, route=name)
        if any(field == "next" for field, _value in base):
            # The HTMX answers: a swapped box that links back, or HX-Location.
            send_fields(sweep, person, path, base, ["next"], ["script"], route=name, headers=HTMX)


def account_forms(sweep, routes, site):
    """Every form of the account pages as each person sees them, field by field: the core
    values for the first person the page shows a form to, a sample for the others."""
    for route in routes:
        if not route.is_accounts:
            continue
        path, chosen = route.path(good_values(route, site)), CORE
        for user in USERS:
            forms = page_forms(sweep, user, route.name, path)
            for fields, buttons in forms:
                base = [pair for pair in fields if pair[0] != "csrfmiddlewaretoken"]
                if not any(name == "next" for name, _value in base):
                    base.append(("next", wire("/")))
                names = list(dict.fromkeys(name for name, _value in base))
                # Each submit button is an action of its own (allauth's email page has four);
                # the first gets the values chosen, the others a sample.
                for n, button in enumerate([[pair] for pair in buttons] or [[]]):
                    # Rate limits count failed logins: each attempt starts afresh.
                    send_fields(
                        sweep,
                        user,
                        path,
                        base + button,
                        names,
                        SAMPLE if n else chosen,
                        route=route.name,
                        before=cache.clear,
                    )
            if forms:
                chosen = SAMPLE


# The admin's own views, beyond the changelists and change forms every model has: the
# project's get the values its fields are likely to mind, Django's a sample.
DJANGO_ADMIN_FORMS = {"admin:login", "admin:password_change", "admin:auth_user_password_change"}
CUSTOM_ADMIN_FORMS = {
    "admin:attendees_registration_import",
    "admin:attendees_sessionseats_seat_limit",
    "admin:conference_conference_import_new",
    "admin:conference_conference_import",
}
# Change forms with code of the project's own: each field on its own, on a form that is
# otherwise valid, so a hostile value that passes validation reaches save().
FIELD_BY_FIELD = {
    "admin:schedule_session_change",
    "admin:attendees_registration_change",
    "admin:conference_stage_changelist",
}
UPLOADS = {
    "NUL bytes": b"\x00\xff\xfe" * 100,
    "invalid UTF-8": b"\xff\xfe\xfa<",
    "markup": MARKUP.encode() + ATTRIBUTE.encode(),
    "100kB": b"x" * 100_000,
    "empty": b"",
    "hostile CSV": (
        "email,name,ticket type,ticket id\n"
        f"=cmd|' /C calc'!A0,{MARKUP},\u202e,{2**63}\n"
        "ada@example.org,\x00,x,1\n"
    ).encode(),
    "hostile JSON": b'{"schedule": {"conference": {"title": "<script>", "days": [{"index": 1e309}]}}}',
    "hostile XML": b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<schedule><conference><title>&x;</title></conference></schedule>",
}


def admin_form(name):
    return name.endswith(("_add", "_change", "_changelist")) or name in (
        CUSTOM_ADMIN_FORMS | DJANGO_ADMIN_FORMS
    )


MANAGEMENT = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")


def admin_forms(sweep, routes, site):
    """Every admin form as staff: all fields hostile at once, field by field where the project
    has code of its own, hostile uploads, a pending import's token, and deletions last."""
    deletions = []
    for route in routes:
        name = route.name
        if not route.is_admin:
            continue
        if name.endswith("_delete"):
            deletions.append(route)
            continue
        own = name in CUSTOM_ADMIN_FORMS
        if not admin_form(name):
            continue
        path = route.path(good_values(route, site))
        for fields, buttons in page_forms(sweep, "staff", name, path):
            base = fields + buttons[:1]
            if name.endswith("_changelist"):
                model = "/".join(route.template.split("/")[1:3])
                base += [
                    ("action", "delete_selected"),
                    ("_selected_action", str(site["sacrificial"][model])),
                ]
            send_all_at_once(sweep, "staff", path, base, AT_ONCE, route=name)
            if name in FIELD_BY_FIELD | CUSTOM_ADMIN_FORMS | DJANGO_ADMIN_FORMS:
                names = [
                    field
                    for field, _value in base
                    if field != "csrfmiddlewaretoken" and "-" not in field
                ]
                chosen = (
                    OWN if own else SAMPLE if name in DJANGO_ADMIN_FORMS else ["2**63", "script"]
                )
                send_fields(
                    sweep, "staff", path, base, list(dict.fromkeys(names)), chosen, route=name
                )
        if name.endswith("import") or name.endswith("import_new"):
            upload_hostile_files(sweep, name, path, site)
    inline_counts(sweep, site)
    pending_import(sweep, site)
    # Deleting the second conference's objects, the conference itself last.
    for route in sorted(deletions, key=lambda route: "conference/conference" in route.template):
        path = route.path(good_values(route, site))
        for label in ("nul", "script"):
            sweep.send(
                "staff",
                "POST",
                path,
                body=urlencoded([("post", "yes"), (UNKNOWN, HOSTILE[label])]),
                route=route.name,
                field=UNKNOWN,
                value=label,
            )


def inline_counts(sweep, site):
    """An inline formset's management form with hostile counts (not huge ones: see above)."""
    path = reverse("admin:schedule_session_change", args=[site["other_session"].pk])
    for fields, buttons in page_forms(sweep, "staff", "admin:schedule_session_change", path):
        names = [field for field, _value in fields if re.search("-(TOTAL|INITIAL)_FORMS$", field)]
        chosen = ["-1", "1e309", "script"]
        send_fields(
            sweep,
            "staff",
            path,
            fields + buttons[:1],
            names,
            chosen,
            route="admin:schedule_session_change",
        )


def upload_hostile_files(sweep, name, path, site):
    base = [("conference", str(site["other"].pk)), ("slug", "uploaded"), ("format", "")]
    for label, content in UPLOADS.items():
        body, content_type = multipart(base, files=[("file", "upload.txt", content)])
        sweep.send(
            "staff",
            "POST",
            path,
            body=body,
            content_type=content_type,
            route=name,
            field="file",
            value=label,
            nul=False,
        )


def pending_import(sweep, site):
    """A preview leaves an import waiting for its token; confirm it with hostile tokens."""
    other = site["other"]
    path = reverse("admin:conference_conference_import", args=[other.pk])
    export = sweep.clients["staff"].get(f"/{other.slug}/schedule.json").content
    body, content_type = multipart([("format", "")], files=[("file", "schedule.json", export)])
    preview = sweep.send(
        "staff",
        "POST",
        path,
        body=body,
        content_type=content_type,
        route="admin:conference_conference_import",
        field="file",
        value="its own export",
        nul=False,
    )
    forms = post_forms(preview.content.decode(), path) if preview is not None else []
    token = [form for form in forms if any(field == "token" for field, _value in form.fields)]
    if not token:
        sweep.note("the preview of a conference's own export offers no confirmation", path)
        return
    base = [(field, wire(value)) for field, value in token[0].fields]
    send_fields(
        sweep,
        "staff",
        path,
        base,
        ["token"],
        list(HOSTILE),
        route="admin:conference_conference_import",
    )


def test_feeds_and_pages_escape_a_hostile_title(client, demo_conference):
    session = demo_conference.sessions.first()
    session.title = MARKUP
    session.abstract = ATTRIBUTE
    session.save()

    for url in (
        f"/{demo_conference.slug}/schedule/?layout=list",
        f"/{demo_conference.slug}/sessions/{session.slug}/",
        f"/{demo_conference.slug}/speakers/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert MARKUP not in body, url
        assert "onerror=alert(1)>" not in body, url
    ics = client.get(f"/{demo_conference.slug}/schedule.ics").content.decode()
    assert "SUMMARY:<script>alert(1)</script>" in ics  # plain text in a text/calendar file
