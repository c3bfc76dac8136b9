"""Session markup in Python or in templates: the render time of a busy day's results.

The day page's results region (schedule/day.html#results) is rendered on a cache miss with
each session's box or card, tags, "Add to my agenda" form and seat-box marker written in
Python (public/components.py, through the tags in public/templatetags/components.py). This
renders the same region of the busiest day of a 2,000-session conference both ways, for the
grid and the list layout:

- python components: the real code path, render_to_string("schedule/day.html#results") with
  the context the day view builds on a cache miss (for_cache=True, visitor parts as markers);
- template partials: the same real templates, rendered by a template engine of this script
  only (the settings are not changed) in which the {% grid_cell %} and {% list_card %} tags
  render the django-template-partials partialdefs of bench/templates/bench/components.html
  (cell, card, tags, agenda button and seat-box marker as templates) instead of Python.

The context, with its sessions, is built once by the real day view (its render_to_string
call is recorded), so only the render is timed. The two outputs are first checked to be
the same HTML, whitespace between tags aside. Prints the median and p95 milliseconds of each
way and their ratio. The partials reverse() each route once per render, the Python way once
per grid row or list slot: if anything, that favours the partials.

Runs in-process against the benchmark database of bench/inprocess.py, generating the
conference bench-2000 the first time, as bench/pages.py does (a few minutes):

    .venv/bin/python bench/markup.py [--runs 15]
"""

import argparse
import gc
import re
import statistics
import time
from pathlib import Path
from unittest import mock

from inprocess import busiest_day, generated_conference, setup

setup()

from django import template  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.backends.django import DjangoTemplates  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from public import components, days  # noqa: E402
from public.templatetags.clock import with_tz  # noqa: E402

SIZE = 2000
SLUG = f"bench-{SIZE}"
RESULTS = "schedule/day.html#results"
COMPONENTS = "bench/components.html"
TEMPLATES = Path(__file__).resolve().parent / "templates"
BETWEEN_TAGS = re.compile(r">\s+<")

# The tags of the partials: the visitor's parts and the URLs come from the same functions as
# in public/components.py, so both ways write the same markers and links. In the partials'
# engine this module is also the "components" library of the day page's templates.
register = template.Library()
register.simple_tag(takes_context=True)(components.visitor_part)
partials = {}


def render_partial(context, name, **values):
    """A partial of bench/components.html in the page's own context, as {% include %} does."""
    if name not in partials:
        partials[name] = context.template.engine.get_template(f"{COMPONENTS}#{name}")
    with context.push(**values):
        return partials[name].render(context)


@register.simple_tag(takes_context=True)
def grid_cell(context, placement, column_count):
    return render_partial(context, "grid-cell", p=placement, session=placement.session)


@register.simple_tag(takes_context=True)
def list_card(context, session):
    return render_partial(context, "list-card", session=session)


@register.simple_tag(takes_context=True)
def url_for(context, name, slug):
    """components.url_for(context, name)(slug), its one reverse() per route kept for the
    whole render: kept in the innermost context, as components.url_for does, it would be
    dropped by the {% with %} or {% for %} around every session and done ten times as often
    as in the Python way (which keeps it per grid row or list slot)."""
    urls = context.dicts[0].setdefault("_bench_urls", {})
    if name not in urls:
        urls[name] = components.url_for(context, name)
    return urls[name](slug)


@register.simple_tag(takes_context=True)
def session_link(context, session):
    return with_tz(url_for(context, "schedule:session", session.slug), context.get("prefs"))


def partials_engine():
    """The project's template engine that also finds bench/templates/, with this script's
    tags as {% load bench_markup %} and in place of {% load components %}."""
    options = dict(settings.TEMPLATES[0]["OPTIONS"])
    options["libraries"] = {
        **options.get("libraries", {}),
        "bench_markup": __name__,
        "components": __name__,
    }
    return DjangoTemplates(
        {"NAME": "bench-markup", "DIRS": [TEMPLATES], "APP_DIRS": False, "OPTIONS": options}
    )


def cache_miss_render(url):
    """What the day view passes to render_to_string for its results on a cache miss: the
    context (its sessions already read), the request, and the language and timezone active."""
    recorded = {}
    real = days.render_to_string

    def recording(template_name, context=None, request=None, using=None):
        if template_name == RESULTS:
            recorded.update(
                context=context,
                request=request,
                language=translation.get_language(),
                zone=timezone.get_current_timezone(),
            )
        return real(template_name, context, request=request, using=using)

    cache.clear()
    with mock.patch.object(days, "render_to_string", recording):
        response = Client().get(url)
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    assert recorded, f"{url} did not render {RESULTS}"
    return recorded


def renderers(recorded, engine):
    context, request = recorded["context"], recorded["request"]
    with_partials = engine.get_template(RESULTS)
    return {
        "python components": lambda: render_to_string(RESULTS, context, request=request),
        "template partials": lambda: with_partials.render(context, request),
    }


def collapsed(html):
    return BETWEEN_TAGS.sub("><", html.strip())


def timed(ways, runs):
    """Median and p95 milliseconds of each way, the ways taking turns run after run so that
    a change in the machine's load falls on both."""
    for render in [*ways.values()] * 2:  # warm-up: templates loaded and cached, and so on
        render()
    timings = {name: [] for name in ways}
    for run in range(runs):
        for name, render in sorted(ways.items(), reverse=run % 2 == 1):
            gc.collect()
            start = time.perf_counter()
            render()
            timings[name].append((time.perf_counter() - start) * 1000)
    figures = {}
    for name, values in timings.items():
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        figures[name] = (statistics.median(values), p95)
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    day = busiest_day(generated_conference(SIZE))
    engine = partials_engine()
    print(
        f"{SLUG}, busiest day {day}; database: {connection.vendor}; "
        f"median and p95 of {args.runs} renders after a warm-up"
    )
    rows = []
    for layout in ("grid", "list"):
        recorded = cache_miss_render(f"/{SLUG}/schedule/{day}/?layout={layout}")
        with translation.override(recorded["language"]), timezone.override(recorded["zone"]):
            ways = renderers(recorded, engine)
            outputs = {}
            for name, render in ways.items():
                with CaptureQueriesContext(connection) as queries:
                    outputs[name] = render()
                assert not queries, f"{layout}, {name}: {len(queries)} queries while rendering"
            python, partials = outputs.values()
            same = collapsed(python) == collapsed(partials)
            print(
                f"{layout}: {len(recorded['context']['sessions'])} sessions, "
                f"{len(python) / 1024:.0f} KiB; same HTML (whitespace between tags aside): "
                f"{'yes' if same else 'NO'}; byte for byte: {'yes' if python == partials else 'no'}"
            )
            if not same:
                a, b = collapsed(python), collapsed(partials)
                at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0)
                around = slice(max(0, at - 80), at + 120)
                print(f"  first difference at {at}:\n  python:   {a[around]!r}")
                print(f"  partials: {b[around]!r}")
            figures = timed(ways, args.runs)
        rows.append((layout, figures))
    print(
        f"\n{'layout':<8}{'python components':>20}{'template partials':>20}{'ratio':>8}"
        f"\n{'':<8}{'median':>10}{'p95':>10}{'median':>10}{'p95':>10}{'(med)':>8}"
    )
    for layout, figures in rows:
        py_med, py_p95 = figures["python components"]
        tpl_med, tpl_p95 = figures["template partials"]
        print(
            f"{layout:<8}{py_med:>8.1f}ms{py_p95:>8.1f}ms{tpl_med:>8.1f}ms{tpl_p95:>8.1f}ms"
            f"{tpl_med / py_med:>7.2f}x"
        )
    print("ratio: template partials median / python components median")


if __name__ == "__main__":
    main()
