"""The peer: the reference page built with Dash, the framework a team would pick instead.

One slider beside one 9-point Plotly line, as in :mod:`benchmarks.reference_app`: the
same label, range, step and data, so the browser benchmark compares the frameworks and
nothing else. Dash is an optional ``bench`` extra, never a runtime dependency.

Run alone with ``python benchmarks/dash_peer.py --port 8050`` (listens on 127.0.0.1).
It uses Flask's threaded server, which is what Dash serves a single user with; a
production Dash app would sit behind gunicorn, which does not change one user's latency.
"""

from __future__ import annotations

import argparse

import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

BASE_YEAR = 2024
BASE_VALUE = 457.6  # USD million, the default market's 2024 value
YEARS = list(range(2023, 2032))  # nine points, as on the Overview


def create_app() -> Dash:
    """The page: a sidebar with the CAGR slider, the chart beside it."""
    app = Dash(__name__, title="Dash peer")
    app.layout = html.Div(
        [
            html.Div(
                [
                    html.Label("CAGR (%)", htmlFor="cagr"),
                    dcc.Slider(
                        id="cagr",
                        min=0.0,
                        max=51.0,
                        step=0.1,
                        value=20.12,
                        marks=None,
                        updatemode="drag",
                    ),
                ],
                style={"width": "300px", "padding": "1rem"},
            ),
            dcc.Graph(id="trajectory", style={"flex": "1"}),
        ],
        style={"display": "flex"},
    )
    app.callback(Output("trajectory", "figure"), Input("cagr", "value"))(trajectory)
    return app


def trajectory(cagr: float) -> go.Figure:
    """The base value grown at ``cagr`` % a year over the nine years."""
    values = [BASE_VALUE * (1 + cagr / 100) ** (year - BASE_YEAR) for year in YEARS]
    return go.Figure(go.Scatter(x=YEARS, y=values, mode="lines"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8050)
    args = parser.parse_args()
    create_app().run(host="127.0.0.1", port=args.port, debug=False)


if __name__ == "__main__":
    main()
