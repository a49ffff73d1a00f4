# Storyline: one process (feed polling, digest scheduling, Discord bot), one SQLite file.
#
#   docker build -t storyline .
#   docker run --env-file .env -v storyline-data:/data storyline
#
# The database lives on the /data volume; configuration is baked in from ./config and can be
# replaced by mounting your own folder over /app/config (see compose.yaml, docs/discord.md).

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY digests ./digests
COPY bot ./bot
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    STORYLINE_CONFIG=/app/config \
    STORYLINE_DATABASE=/data/storyline.db
RUN groupadd --system --gid 10001 storyline \
    && useradd --system --uid 10001 --gid storyline --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin storyline \
    && mkdir -p /data \
    && chown storyline:storyline /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
WORKDIR /app
# Storyline files name their seed documents relative to themselves (../../seeds/...).
COPY config ./config
COPY seeds ./seeds
USER storyline
VOLUME ["/data"]
# Cheap and honest: opens (and if needed migrates) the database and lists feeds; fails when
# the volume is missing, unwritable or the file is corrupt.
HEALTHCHECK --interval=5m --timeout=30s --start-period=1m --retries=3 \
    CMD ["storyline", "feeds", "--json"]
CMD ["storyline", "run"]
