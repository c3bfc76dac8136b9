import pytest
from django.core.management import call_command

from conference.models import Conference

DEMO_SLUG = "pytorch-conference-europe-2026"


@pytest.fixture
def demo_conference(db):
    """PyTorch Conference Europe 2026, loaded from the fixture that `make run` serves."""
    call_command("loaddata", "fixtures/pytorch-conference-europe-2026.json", verbosity=0)
    return Conference.objects.get(slug=DEMO_SLUG)
