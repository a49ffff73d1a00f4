# Storyline: one process (feed polling, digest scheduling, Discord bot), one SQLite file.
#
#   docker build -t storyline .
#   docker run -d --name storyline --env-file .env -v storyline-data:/data storyline
#
# The database lives on the /data volume; configuration is baked in from ./config and can be
# replaced by mounting your own folder over /app/config (see compose.yaml, docs/self-hosting.md).
# tests/unit/test_packaging.py checks this file against the code (commands, paths, variables);
# `make docker-check` builds and runs it for real (tests/docker/docker_check.py).

FROM python:3.11-slim AS build
# Storyline and its dependencies go into one virtual environment that the runtime stage copies
# whole: one layer, no wheels left behind, nothing resolved at build time. requirements.lock
# pins every dependency with its hashes (refresh: scripts/lock-image.sh); pip refuses any file
# whose hash differs. Only the build backend for our own pure-Python package (setuptools>=77,
# in pip's isolated build environment) is fetched unpinned, and it never reaches the image.
# No bytecode for the dependencies (--no-compile, and pip's own run writes none): it would add
# ~34 MB. Our own two packages are compiled (under 2 MB), unchecked-hash so the copy into the
# runtime stage cannot make them stale: a lookup (`docker exec storyline storyline who-said`)
# then compiles nothing of ours at each start; what it imports of the dependencies is small.
ENV PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/storyline
COPY requirements.lock /src/
RUN /opt/storyline/bin/pip install --no-cache-dir --no-compile --require-hashes \
        -r /src/requirements.lock \
    && /opt/storyline/bin/pip uninstall --yes --quiet setuptools
WORKDIR /src
COPY pyproject.toml README.md ./
COPY digests ./digests
COPY bot ./bot
RUN /opt/storyline/bin/pip install --no-cache-dir --no-compile --no-deps . \
    && /opt/storyline/bin/pip check \
    && site="$(/opt/storyline/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
    && /opt/storyline/bin/python -m compileall -q --invalidation-mode unchecked-hash \
        "$site/digests" "$site/bot"

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/storyline/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    STORYLINE_CONFIG=/app/config \
    STORYLINE_DATABASE=/data/storyline.db
RUN groupadd --system --gid 10001 storyline \
    && useradd --system --uid 10001 --gid storyline --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin storyline \
    && mkdir -p /data \
    && chown storyline:storyline /data
COPY --from=build /opt/storyline /opt/storyline
WORKDIR /app
# Storyline files name their seed documents relative to themselves (../../seeds/...).
COPY config ./config
COPY seeds ./seeds
USER storyline
VOLUME ["/data"]
# Honest health: `storyline run` rewrites a heartbeat beside the database every 15 s and at
# every poll's start and end; `storyline-health` fails when the scheduler is silent for a
# minute, a poll is stuck or has not started for three intervals, three polls in a row failed,
# or Discord has been disconnected for ten minutes (digests/health.py). The first probe runs
# 30 s after start. It imports no dependency, so running it every 30 s costs next to nothing.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["storyline-health"]
# `storyline run` stops cleanly on SIGTERM (docker stop); a poll in flight finishes first.
# After a configuration error or a token Discord refuses it prints one line and holds until
# stopped, then exits with status 2, so `restart: unless-stopped` does not loop on an error no
# restart can fix (digests/cli/hold.py, docs/self-hosting.md).
CMD ["storyline", "run", "--hold-on-config-error"]
