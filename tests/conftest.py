import os
import shutil
import sys
from pathlib import Path

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


@pytest.fixture
def unfold_command() -> Path:
    """The `unfold` command that `pip install` (bash setup.sh) put beside this Python."""
    script = Path(sys.executable).parent / "unfold"
    if not script.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{script} is missing: bash setup.sh installs the project into .venv")
        pytest.skip("Unfold is not installed into this Python (bash setup.sh does it)")
    return script
