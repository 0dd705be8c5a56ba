"""Where the assumptions and the saved scenarios live.

Both folders can be moved with environment variables, so a Docker volume can hold them;
without the variables the project's own folders are used, wherever the command runs from.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ASSUMPTIONS_ENV",
    "DEFAULT_FILE_ENV",
    "SCENARIOS_ENV",
    "assumptions_dir",
    "default_assumptions",
    "default_file_label",
    "default_name_problem",
    "scenarios_dir",
]

ASSUMPTIONS_ENV = "MARKET_ASSUMPTIONS_DIR"
SCENARIOS_ENV = "MARKET_SCENARIOS_DIR"
DEFAULT_FILE_ENV = "MARKET_DEFAULT_FILE"

_PROJECT = Path(__file__).resolve().parent.parent
_DEFAULT_NAME = "healthcare-microservices.yaml"


def assumptions_dir() -> Path:
    return Path(os.environ.get(ASSUMPTIONS_ENV) or _PROJECT / "assumptions")


def scenarios_dir() -> Path:
    return Path(os.environ.get(SCENARIOS_ENV) or assumptions_dir() / "scenarios")


def default_file_label() -> str:
    """The file opened first as the settings name it, for messages: the built-in default
    market, or the value of ``MARKET_DEFAULT_FILE`` and the variable's name."""
    named = os.environ.get(DEFAULT_FILE_ENV)
    return f"{named} ({DEFAULT_FILE_ENV})" if named else _DEFAULT_NAME


def default_name_problem() -> str | None:
    """Why ``MARKET_DEFAULT_FILE`` names no file of the assumptions folder when it names a
    path rather than a file name (completing "The default file ..."); None otherwise."""
    named = os.environ.get(DEFAULT_FILE_ENV) or _DEFAULT_NAME
    if named in (".", "..") or Path(named).name != named:
        return "is a path: the variable takes the name of a file in the assumptions folder"
    return None


def default_assumptions() -> Path:
    """The file used when none is named.

    ``MARKET_DEFAULT_FILE`` names a file in the assumptions folder; without it, the default market.
    """
    return assumptions_dir() / (os.environ.get(DEFAULT_FILE_ENV) or _DEFAULT_NAME)
