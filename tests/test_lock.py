"""constraints.txt locks what both README commands install (docs/dependencies.md)."""

import configparser
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "constraints.txt"


def locked_pins(text: str) -> dict[str, str]:
    """Return {package: version} of the lock's pins whose markers hold on this Python."""
    pins = {}
    for line in text.splitlines():
        if not line or line.startswith((" ", "#")):
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            (specifier,) = requirement.specifier
            pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def declared_requirements() -> list[Requirement]:
    """Return setup.cfg's install_requires and test extras."""
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    lines = config["options"]["install_requires"] + config["options.extras_require"]["test"]
    return [Requirement(line) for line in lines.splitlines() if line.strip()]


def test_every_declared_dependency_is_locked_within_its_range():
    pins = locked_pins(LOCK.read_text())
    for requirement in declared_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is in setup.cfg but not in constraints.txt: run scripts/lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {name}=={pins[name]}, outside setup.cfg's {requirement}"
        )


def test_the_tests_run_on_exactly_the_locked_versions():
    mismatched = {}
    for name, pinned in locked_pins(LOCK.read_text()).items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            mismatched[name] = (pinned, installed)
    assert mismatched == {}, "install with: pip install -c constraints.txt -e '.[test]'"


def test_the_build_backend_is_the_locked_one():
    pins = locked_pins(LOCK.read_text())
    build = tomllib.loads((REPO / "pyproject.toml").read_text())["build-system"]["requires"]
    assert sorted(build) == sorted(f"{name}=={pins[name]}" for name in ("setuptools", "wheel"))


def test_a_pin_for_another_python_is_left_to_that_python():
    text = "numpy==1.0.0 ; python_full_version < '3.0'\nnumpy==2.4.6\n    # via scipy\n"
    assert locked_pins(text) == {"numpy": "2.4.6"}
