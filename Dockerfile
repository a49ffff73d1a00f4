# Storyline: one process (feed polling, digest scheduling, Discord bot), one SQLite file.
#
#   docker build -t storyline .
#   docker run -d --name storyline --env-file .env -v storyline-data:/data storyline
#
# The database lives on the /data volume; configuration is baked in from ./config and can be
# replaced by mounting your own folder over /app/config (see compose.yaml, docs/discord.md).
# tests/unit/test_packaging.py checks this file against the code (commands, paths, variables).

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY digests ./digests
COPY bot ./bot
# Wheels for Storyline and every dependency, so the runtime stage installs without an index
# and without build tools (setuptools>=77 is fetched into pip's isolated build environment).
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
RUN pip install --no-cache-dir --no-index /wheels/*.whl && rm -rf /wheels
WORKDIR /app
# Storyline files name their seed documents relative to themselves (../../seeds/...).
COPY config ./config
COPY seeds ./seeds
USER storyline
VOLUME ["/data"]
# Cheap, offline and honest about the one thing that must work: it opens (and if needed
# migrates) the database on the volume and lists the feeds. It fails when the file cannot be
# opened or written (volume not writable by uid 10001, corrupt file, schema newer than this
# image). It does not probe Discord: a lost gateway is reconnected by the process itself.
HEALTHCHECK --interval=5m --timeout=30s --start-period=1m --retries=3 \
    CMD ["storyline", "feeds", "--json"]
# `storyline run` stops cleanly on SIGTERM (docker stop); a poll in flight finishes first.
CMD ["storyline", "run"]
