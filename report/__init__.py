"""Pure renderers: model frames in, figures and files out.

Everything a person takes away or looks at is drawn here once, for every front end: the
Plotly figures (:mod:`report.charts`), numbers formatted for people (:mod:`report.format`),
the CSV, JSON and workbook writers (:mod:`report.export`), the executive brief
(:mod:`report.brief`) and the deck (:mod:`report.deck`), and the registry of export formats
(:mod:`report.formats`). It imports the model (:mod:`market`) and never a front end:
no Streamlit, no command line, no database.
"""
