# newswire-enricher worker image: `docker build -t newswire-enricher .`
# Stage 1 builds a self-contained virtualenv; stage 2 copies only that venv onto a clean slim base.
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# torch first and from the CPU index: camel-tools depends on torch, and the default wheel drags in ~3 GB of
# CUDA libraries a CPU worker never uses. Its own layer, so code changes do not re-download it.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

WORKDIR /src
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY services ./services
# Not editable: package data (samples, lexicons, models) is copied into the venv, /src is left behind.
RUN pip install . && pip check


FROM python:3.11-slim

# Fixed numeric uid so k8s `runAsNonRoot` can verify it and volumes can be chowned ahead of time.
RUN groupadd --system --gid 10001 newswire \
    && useradd --system --uid 10001 --gid newswire --home-dir /var/lib/newswire --create-home newswire

COPY --from=build /opt/venv /opt/venv

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    NEWSWIRE_DATA_DIR=/var/lib/newswire \
    NEWSWIRE_METRICS_HOST=0.0.0.0 \
    NEWSWIRE_METRICS_PORT=9108

USER 10001:10001
WORKDIR /var/lib/newswire
EXPOSE 9108

# Liveness only (/healthz); readiness (/readyz) waits for a partition assignment, which an idle extra replica
# never gets, and that must not make Docker restart it.
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['NEWSWIRE_METRICS_PORT']}/healthz\", timeout=2)"]

ENTRYPOINT ["newswire"]
CMD ["worker"]
