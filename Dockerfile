# Market dashboard: the Streamlit app, served on port 8501.
#   docker build -t market-dashboard .
#   docker run --rm -p 8501:8501 -v market-data:/data market-dashboard
# Runs as a non-root user and works with a read-only root filesystem, given a writable
# /data volume (saved scenarios) and a writable /tmp (HOME lives there). See the Deployment section of README.md.
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Dependencies first, in a layer that code changes do not invalidate: the runtime
# dependencies pyproject.toml declares (not its test extra), at the exact versions the
# lock pins for them and everything they need; pip check fails the build if one is amiss.
COPY requirements.lock /tmp/deps/requirements.lock
COPY pyproject.toml /tmp/deps/pyproject.toml
RUN python -c "import tomllib; deps = tomllib.load(open('/tmp/deps/pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/deps/runtime.txt', 'w').write(chr(10).join(deps))" \
    && pip install --no-cache-dir -c /tmp/deps/requirements.lock -r /tmp/deps/runtime.txt \
    && pip check \
    && rm -r /tmp/deps

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /tmp/home \
       --shell /usr/sbin/nologin app \
    && mkdir /data \
    && chown 10001:10001 /data

# The code, owned by root and read-only for the app user. The source is run from /app
# (Streamlit's working directory), not installed; .streamlit/secrets.toml is never copied.
WORKDIR /app
COPY .streamlit/config.toml .streamlit/config.toml
COPY assumptions/ assumptions/
COPY market/ market/
COPY report/ report/
COPY store/ store/
COPY api/ api/
COPY dashboard/ dashboard/
COPY pages/ pages/
COPY static/ static/
COPY app.py ./
# Saved scenarios start as the ones shipped with the assumptions: Docker copies these into a
# new, empty named volume mounted at /data (in Kubernetes an init container does it).
COPY --chown=10001:10001 assumptions/scenarios/ /data/scenarios/

# HOME and caches on /tmp, so Streamlit can write ~/.streamlit with a read-only root.
# The bundled assumptions are read in place; saved scenarios go to the /data volume.
# Production settings as environment variables (the committed config.toml is shared
# with local runs, which keep hot reload): headless, no file watcher, no usage statistics.
ENV HOME=/tmp/home \
    XDG_CACHE_HOME=/tmp/home/.cache \
    XDG_CONFIG_HOME=/tmp/home/.config \
    MARKET_ASSUMPTIONS_DIR=/app/assumptions \
    MARKET_SCENARIOS_DIR=/data/scenarios \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8501

# No curl in the slim image: a one-line Python probe of Streamlit's health endpoint, on the
# server's port and under its base URL path (STREAMLIT_SERVER_BASE_URL_PATH) if one is set.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; e = os.environ.get; p = e('STREAMLIT_SERVER_BASE_URL_PATH', '').strip('/'); url = 'http://127.0.0.1:%s/%s_stcore/health' % (e('STREAMLIT_SERVER_PORT') or '8501', p + '/' if p else ''); sys.exit(u.urlopen(url, timeout=4).read().strip() != b'ok')"]

CMD ["streamlit", "run", "app.py"]
