"""The command-line front end: ``market`` (or ``python -m cli``), the model without the dashboard.

It sits on the model (:mod:`market`) and the renderers (:mod:`report`) and imports no Streamlit.
"""

from cli.main import EXIT_OK, EXIT_USAGE, build_parser, main

__all__ = ["EXIT_OK", "EXIT_USAGE", "build_parser", "main"]
