import pytest

from saferplan.funding import demo as funding_demo_module
from saferplan.plans.models import Plan


@pytest.fixture
def funding_demo(demo) -> Plan:
    """The demo plan with the demo funding loaded (the session demo does not load funding yet)."""
    funding_demo_module.load(demo)
    return demo
