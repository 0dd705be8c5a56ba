"""The ``market`` commands, one module each; :data:`COMMANDS` is the registry.

A new command is one module here (its options declared beside the function that runs it,
see :mod:`cli.command`) and one entry in :data:`COMMANDS`.
"""

from __future__ import annotations

from cli.command import Command
from cli.commands import (
    estimates,
    export,
    forecast,
    goal_seek,
    grid,
    opportunity,
    params,
    risk,
    scenarios,
    validate,
)

__all__ = ["COMMANDS"]

COMMANDS: tuple[Command, ...] = (
    forecast.forecast,
    estimates.published,
    params.params,
    validate.validate,
    risk.risk,
    goal_seek.goal_seek,
    export.export,
    opportunity.opportunity,
    grid.grid,
    scenarios.scenarios,
)
"""Every command, in the order ``market --help`` lists them."""
