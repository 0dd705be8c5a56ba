"""The HTTP front end: read-only routes over the share links' query codec and the renderers.

Off unless ``MARKET_API=1``. Served beside the dashboard, in the same server process, by
``streamlit run app.py`` (``app.py`` hands :func:`routes` to ``streamlit.starlette.App``):
``<prefix>/api/v1/forecast.csv?<any share link's query>``. It imports the model
(:mod:`market`) and the renderers (:mod:`report`), never Streamlit: the routes are plain
Starlette. See :mod:`api.http` for the order in which a request is checked and answered.
"""

from api.http import ENABLE_ENV, TOKENS_ENV, Settings, enabled, routes

__all__ = ["ENABLE_ENV", "TOKENS_ENV", "Settings", "enabled", "routes"]
