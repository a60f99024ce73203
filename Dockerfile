# Elior in one slim image: `docker build -t elior . && docker run -p 8000:8000 -v elior-data:/data elior`
# The data (SQLite database, uploads, the development secret key) lives in the /data volume; the code is read-only
# and owned by root, and the server runs as an unprivileged user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ELIOR_DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000

# pg_dump/pg_restore for `python -m elior backup|restore` against PostgreSQL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 elior \
 && useradd --system --uid 10001 --gid elior --home-dir /data --shell /usr/sbin/nologin elior \
 && mkdir -p /data && chown elior:elior /data

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY elior ./elior
COPY sql ./sql
COPY static ./static
# The browser app is fingerprinted in memory when first served (elior/web/assets.py; nothing generated is in the
# tree or the image): building it once here fails the image build, not the first page load, on broken sources.
RUN python -c "from elior.paths import STATIC_DIR; from elior.web.assets import build; build(STATIC_DIR / 'src')"

USER elior
VOLUME ["/data"]
EXPOSE 8000
# SIGTERM (docker stop) gets the graceful shutdown: stop accepting, close sockets with 1001, finish requests.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/health', timeout=2)"
CMD ["python", "-m", "elior", "serve"]
