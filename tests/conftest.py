import pytest
from django.core.management import call_command

from conference.models import Conference

DEMO_SLUG = "pytorch-conference-europe-2026"


@pytest.fixture
def demo_conference(db):
    """PyTorch Conference Europe 2026, loaded from the fixture that `make run` serves."""
    call_command("loaddata", "fixtures/pytorch-conference-europe-2026.json", verbosity=0)
    return Conference.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def big_conference(db):
    """The generated conference the budgets and benchmarks speak of: 2,000 sessions, 20 stages."""
    call_command(
        "generate_conference",
        slug="big",
        sessions=2000,
        stages=20,
        days=3,
        speakers=1500,
        timezone="America/New_York",
        seed=1,
        verbosity=0,
    )
    return Conference.objects.get(slug="big")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rolled-back rows can come back with the same
    ids and schedule versions, and a rendering cached by an earlier test must not be seen."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
