#!/usr/bin/env sh
# Refresh requirements.lock: the exact version and hashes of every package the Docker image
# installs, resolved from pyproject.toml's [project] dependencies by pip-compile (pip-tools)
# inside the image's own base (python:3.11-slim), so markers resolve as they will in the build.
#
#   scripts/lock-image.sh            # needs a Docker engine (docs/self-hosting.md)
#
# Review the diff (new major versions especially), run `make test` and `make docker-check`,
# then commit requirements.lock. Builds never resolve anything: `pip install --require-hashes`
# installs exactly what is written here.
set -eu
cd "$(dirname "$0")/.."
PIP_TOOLS_VERSION=7.6.2
docker run --rm --network host -v "$PWD":/src:ro -v "${TMPDIR:-/tmp}":/out -w /src \
    python:3.11-slim sh -c "
      python -m venv /tmp/tools && /tmp/tools/bin/pip install --quiet pip-tools==$PIP_TOOLS_VERSION &&
      cp -r /src /tmp/project && cd /tmp/project &&
      /tmp/tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
        --no-emit-index-url --output-file /tmp/requirements.lock pyproject.toml &&
      cat /tmp/requirements.lock" > requirements.lock.new
mv requirements.lock.new requirements.lock
echo "requirements.lock: $(grep -c '^[a-z]' requirements.lock) packages pinned with hashes"
