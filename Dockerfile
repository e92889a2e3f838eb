# The API and the webhook dispatcher share one image; compose.yaml runs both.
FROM python:3.11-slim
WORKDIR /srv/omnigraph
COPY pyproject.toml README.md alembic.ini requirements.lock ./
COPY app ./app
COPY schema ./schema
COPY migrations ./migrations
RUN pip install --no-cache-dir -c requirements.lock . && useradd --system omnigraph
USER omnigraph
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/metrics
EXPOSE 8000
CMD ["sh", "-c", "mkdir -p $PROMETHEUS_MULTIPROC_DIR && exec omnigraph serve --host 0.0.0.0 --port 8000 --workers ${WORKERS:-2}"]
