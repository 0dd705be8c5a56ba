"""The Streamlit layer: state, layout, caching and chart builders that keep the pages thin."""
