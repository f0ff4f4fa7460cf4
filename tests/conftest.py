import os
import shutil

import pytest


def require_program(name: str) -> None:
    """Skip when a program is missing on a developer's machine; under CI=true that is a failure."""
    if shutil.which(name) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed, and CI must run every test (bash setup.sh --test)")
        pytest.skip(f"{name} is not installed (bash setup.sh --test installs it)")


@pytest.fixture
def graphviz_dot():
    require_program("dot")
