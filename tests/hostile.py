"""What tests/test_hostile_input.py sends and checks: hostile values as they travel on the wire,
every route of the site, the forms a page offers, and a sweep that sends raw requests as a
given person and records every answer that breaks a rule, without stopping at the first."""

import contextlib
import json
import re
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes, urlsplit

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

MARKUP = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
FORM = "application/x-www-form-urlencoded"


def wire(value):
    """A value percent-encoded as a query string or a urlencoded body carries it."""
    return quote(value, safe="")


# label: the value as it travels, already percent-encoded (so bytes the test client would
# otherwise encode, like %ff or a lone %, reach Django as an attacker sends them).
HOSTILE = {
    "nul": "%00",
    "nul-inside": wire("abc\x00def"),
    "bad-utf8": "%ff%fe",
    "bad-escape": "%ZZ",
    "100kB": "x" * 100_000,
    "-1": "-1",
    "2**63": str(2**63),
    "1e309": "1e309",
    "NaN": "NaN",
    "sql": wire("' OR 1=1 --"),
    "sql-drop": wire("1;DROP TABLE schedule_session"),
    "script": wire(MARKUP),
    "attribute": wire(ATTRIBUTE),
    "traversal": wire("../../etc/passwd"),
    "crlf": wire("\r\nSet-Cookie: hostile=1\r\n\r\n" + MARKUP),  # a header, then a body
    "rtl-override": wire("\u202egnp.exe"),
    "zero-width-joiner": wire("a\u200db"),
    "emoji": wire("😀"),
    "wildcards": wire("%_"),
    "empty": "",
}
# Where an open redirect would send someone: every form and link that takes `next` gets these.
NEXT_TARGETS = {
    "foo": "foo",
    "//evil": wire("//evil.example"),
    "javascript:": wire("javascript:alert(1)"),
    "/\\evil": wire("/\\evil.example"),
    "https://evil": wire("https://evil.example/"),
}
# The values most likely to break a form field's cleaning, for forms with many fields.
CORE = ["nul", "bad-utf8", "100kB", "2**63", "1e309", "NaN", "script", "crlf", "emoji"]


def has_nul(raw):
    """Whether a query string or urlencoded body carries a NUL, encoded or not."""
    if isinstance(raw, bytes):
        return b"\x00" in raw or b"%00" in raw
    return "\x00" in raw or "%00" in raw


def values_for(name, labels=None):
    """(label, wire value) pairs to try in a parameter: open-redirect targets for `next`."""
    chosen = [(label, HOSTILE[label]) for label in (HOSTILE if labels is None else labels)]
    if name == "next":
        chosen += [(f"next={label}", value) for label, value in NEXT_TARGETS.items()]
    return chosen


def urlencoded(pairs):
    """A query string or form body from (name, wire value) pairs, values sent as they are."""
    return "&".join(f"{wire(name)}={value}" for name, value in pairs)


# --- Routes -------------------------------------------------------------------------------

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "<slug:conference>/sessions/<slug:slug>/", regexes unwrapped
    name: str  # "schedule:session"; the template for unnamed routes
    params: tuple

    def path(self, values):
        """The route's address on the wire with `values` (already percent-encoded) put in."""
        return "/" + PARAMETER.sub(lambda match: values[match[1] or match[2]], self.template)

    @property
    def is_admin(self):
        return self.template.startswith("admin/")

    @property
    def is_accounts(self):
        return self.template.startswith("accounts/") and self.name != "profile"


def routes(patterns=None, prefix="", namespace=""):
    """Every URL pattern of the site: the public pages, the admin and the account pages."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        text = str(pattern.pattern)
        if isinstance(pattern.pattern, RegexPattern):
            text = text.removeprefix("^").removesuffix("$")
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from routes(pattern.url_patterns, prefix + text, inner)
        elif isinstance(pattern, URLPattern):
            template = prefix + text
            name = ":".join(part for part in (namespace, pattern.name) if part)
            params = tuple(match[1] or match[2] for match in PARAMETER.finditer(template))
            yield Route(template, name if pattern.name else template, params)


# --- Forms in a page ----------------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: list = field(default_factory=list)  # (name, value) as the browser would send
    buttons: list = field(default_factory=list)  # (name, value) of named submit buttons


class FormParser(HTMLParser):
    """The POST forms of a page with the values a browser would submit unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.form = Form(attrs.get("action") or "")
            self.forms.append(self.form)
        if self.form is None or (not attrs.get("name") and tag != "option"):
            return
        default = "submit" if tag == "button" else "text"
        name, kind = attrs.get("name"), (attrs.get("type") or default).lower()
        if (tag == "input" and kind in {"submit", "image"}) or tag == "button":
            if kind in {"submit", "image"} and name:
                self.form.buttons.append((name, attrs.get("value") or ""))
        elif tag == "input" and kind in {"checkbox", "radio"}:
            if "checked" in attrs:
                self.form.fields.append((name, attrs.get("value") or "on"))
            elif kind == "checkbox":
                self.form.fields.append((name, ""))  # unchecked, as Django reads an empty value
        elif tag == "input" and kind != "file":
            self.form.fields.append((name, attrs.get("value") or ""))
        elif tag == "select":
            self.select = [name, "multiple" in attrs, None, []]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value") or ""
            if self.select[2] is None:
                self.select[2] = value
            if "selected" in attrs:
                self.select[3].append(value)
        elif tag == "textarea":
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, multiple, first, selected = self.select
            chosen = selected or ([] if multiple or first is None else [first])
            self.form.fields.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def post_forms(html, path):
    """The page's POST forms that post back to the page itself (not the header's logout)."""
    parser = FormParser()
    parser.feed(html)
    return [form for form in parser.forms if form.action in {"", path}]


# --- The sweep ----------------------------------------------------------------------------


class DatabaseProbe:
    """Sees every statement: a NUL on its way to the database, and errors the database gave."""

    def __init__(self):
        self.nul, self.errors = False, []

    def __call__(self, execute, sql, params, many, context):
        if "\x00" in sql or any(self._nul(value) for value in self._flat(params)):
            self.nul = True
        try:
            return execute(sql, params, many, context)
        except DatabaseError as error:
            self.errors.append(f"{type(error).__name__}: {str(error).strip()[:120]}")
            raise

    @staticmethod
    def _flat(params):
        for value in params or ():
            if isinstance(value, list | tuple):
                yield from DatabaseProbe._flat(value)
            else:
                yield value

    @staticmethod
    def _nul(value):
        return isinstance(value, str) and "\x00" in value


ON_SITE = {"testserver", "localhost", "127.0.0.1"}
SCRIPT_URL = re.compile(r"""(?i)\b(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""")


def off_site(location):
    """Whether a redirect leaves the site. Browsers drop tabs and line breaks and read a
    backslash as a slash ("/\\evil.example" is "//evil.example"); a relative reference stays."""
    cleaned = re.sub(r"[\t\r\n]", "", location).strip().replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return parts.scheme not in {"http", "https"} or parts.hostname not in ON_SITE
    return False


def redirect_targets(response):
    """Where a response sends the browser: Location, or HTMX's own headers."""
    for header in ("Location", "HX-Location", "HX-Redirect"):
        value = response.headers.get(header)
        if value and header == "HX-Location" and value.startswith("{"):
            with contextlib.suppress(ValueError):  # not JSON: the header is the address
                value = str(json.loads(value).get("path", ""))
        if value is not None:
            yield header, value


PROJECT = str(Path(__file__).resolve().parent.parent) + "/"


def describe(error):
    """'OverflowError: Python int too large… (attendees/admin.py:210)': the exception and the
    last line of the project's own code it went through (the second part groups failures)."""
    where = ""
    for frame, line in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename.startswith(PROJECT) and "/.venv/" not in filename and "/tests/" not in filename:
            where = f" ({filename.removeprefix(PROJECT)}:{line})"
    text = printable(" ".join(str(error).split()))
    return f"{type(error).__name__}: {text[:160]}{where}", f"{type(error).__name__}{where}"


def printable(text):
    """Control characters (a NUL, say) escaped, so a report stays text."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda match: f"\\x{ord(match[0]):02x}", text)


class Sweep:
    """Sends requests as anonymous, attendee or staff and records what breaks a rule."""

    def __init__(self, people):
        self.people = people  # {"anonymous": None, "attendee": user, "staff": user}
        self.clients = {}
        for name, person in people.items():
            self.clients[name] = Client(raise_request_exception=False)
            if person is not None:
                self.clients[name].force_login(person)
        self.count = 0
        self.statuses = Counter()
        self.failures = []
        self.started = time.monotonic()
        self.post_only = set()  # routes that answer GET with 405
        self.pages = {}  # (user, path): the HTML a GET answered, for its forms
        self.phases = []  # (name, requests, seconds)

    def phase(self, name, run, *args):
        """Runs one part of the sweep, noting how many requests it sent and how long it took."""
        count, started = self.count, time.monotonic()
        run(self, *args)
        self.phases.append((name, self.count - count, time.monotonic() - started))

    def send(
        self,
        user,
        method,
        path,
        query="",
        body="",
        *,
        route,
        field="",
        value="",
        content_type=FORM,
        headers=None,
        nul=None,
    ):
        """One request as it leaves an attacker's hands: path, query and body already encoded."""
        nul = has_nul(query) or has_nul(body) if nul is None else nul
        probe = DatabaseProbe()
        savepoint = transaction.savepoint()
        try:
            with connection.execute_wrapper(probe):
                response = self.clients[user].generic(
                    method,
                    path,
                    body,
                    content_type=content_type,
                    headers=headers,
                    QUERY_STRING=query,
                )
        except Exception as error:  # the test client itself gave up: record, go on
            response, crash = None, error
        else:
            crash = response.exc_info[1] if response.exc_info else None
        status = response.status_code if response is not None else "no response"
        broken = response is None or status >= 500 or crash or probe.errors or probe.nul
        if broken or connection.needs_rollback:
            transaction.savepoint_rollback(savepoint)  # PostgreSQL's transaction stays usable
            connection.needs_rollback = False
        else:
            transaction.savepoint_commit(savepoint)
        self.count += 1
        self.statuses[status] += 1

        record = {
            "user": user,
            "method": method,
            "route": route,
            "field": field,
            "value": value,
            "status": status,
            "exception": describe(crash) if crash else ("", ""),
            "url": path + ("?" + query if query else ""),
        }
        for problem in self.problems(response, nul, probe):
            self.failures.append({"problem": problem, **record})
        if method not in {"GET", "HEAD"}:
            self.restore(user)
        return response

    def note(self, problem, route):
        """A broken rule that no single answer shows."""
        self.failures.append(
            {
                "problem": problem,
                "user": "staff",
                "method": "-",
                "route": route,
                "field": "",
                "value": "",
                "status": "-",
                "exception": ("", ""),
                "url": "",
            }
        )

    def problems(self, response, nul, probe):
        if response is None:
            yield "the test client raised"
            return
        if response.status_code >= 500:
            yield "5xx"
        if nul and response.status_code != 400:
            yield "NUL in the query or form not refused with 400"
        if probe.nul:
            yield "NUL sent to the database"
        if probe.errors:
            yield f"database refused a query ({probe.errors[0].split(':')[0]})"
        for header, target in redirect_targets(response):
            if off_site(target):
                yield f"{header} leaves the site: {target[:80]!r}"
        for header, text in response.headers.items():
            if "\r" in text or "\n" in text:
                yield f"header {header} carries a line break"
        if "hostile" in response.cookies:
            yield "a cookie was injected"
        content_type = response.headers.get("Content-Type", "")
        if not response.streaming and content_type.startswith(("text/html", "application/xhtml")):
            body = response.content.decode(errors="replace")
            if MARKUP in body or "onerror=alert(1)>" in body:
                yield "markup reflected unescaped"
            if SCRIPT_URL.search(body):
                yield "a javascript: link on the page"

    def restore(self, user):
        """Anonymous stays anonymous, a signed-in person signed in (a POST may log in or out)."""
        client, person = self.clients[user], self.people[user]
        if person is None:
            client.cookies.clear()
            return
        client.cookies.pop("messages", None)
        session = client.session
        fresh = get_user_model().objects.get(pk=person.pk)
        if (
            session.get(SESSION_KEY) != str(fresh.pk)
            or session.get(HASH_SESSION_KEY) != fresh.get_session_auth_hash()
        ):
            client.force_login(fresh)

    def report(self):
        """Failures grouped: one line per broken rule, route and exception (type and place),
        with the methods, statuses, people, fields and values that showed it."""
        groups = defaultdict(list)
        for failure in self.failures:
            groups[(failure["problem"], failure["route"], failure["exception"][1])].append(failure)
        lines = []
        for (problem, route, _kind), items in sorted(groups.items()):

            def listed(key, items=items, limit=200):
                return ", ".join(sorted({str(item[key]) for item in items}))[:limit]

            lines.append(
                f"{problem} | {route} | {listed('method')} | status {listed('status')}"
                f" | {items[0]['exception'][0] or '-'} | users: {listed('user')}"
                f" | fields: {listed('field')} | values: {listed('value')}"
                f" | e.g. {printable(items[0]['url'][:160])} ({len(items)} requests)"
            )
        return lines

    def summary(self):
        seconds = time.monotonic() - self.started
        histogram = ", ".join(
            f"{status}: {n}" for status, n in sorted(self.statuses.items(), key=str)
        )
        phases = ", ".join(f"{name} {n} in {s:.1f}s" for name, n, s in self.phases)
        return (
            f"{self.count} requests in {seconds:.1f}s ({phases}), "
            f"{len(self.failures)} failed checks\nstatus codes: {histogram}"
        )


def multipart(pairs, files=()):
    """A multipart/form-data body: (name, wire value) pairs decoded to bytes, then files."""
    boundary = "HostileBoundary"
    chunks = []
    for name, value in pairs:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + unquote_to_bytes(value)
            + b"\r\n"
        )
    for name, filename, content in files:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(chunks) + f"--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )
