"""A non-editable install (``pip install .``) carries every package of every layer.

setuptools installs only the packages ``pyproject.toml`` lists, not their sub-packages, so a
new folder such as ``cli/commands`` would run from a checkout and be missing once installed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def test_every_package_of_the_layers_is_listed_for_installation() -> None:
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    layers = {name.split(".")[0] for name in listed}
    found = {
        ".".join(init.parent.relative_to(PROJECT).parts)
        for layer in layers
        for init in (PROJECT / layer).rglob("__init__.py")
    }
    assert found == listed
    assert {"market", "report", "dashboard", "cli"} <= layers
