"""Performance benchmarks for the dashboard (issue 6) and the load run (issue 7).

Run everything with ``python -m benchmarks.run`` (``--quick`` for CI); see BENCHMARKS.md.
Nothing here is imported by the dashboard or the model.
"""
