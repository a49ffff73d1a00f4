"""Why the database could not be opened, in words an admin can act on.

SQLite says "unable to open database file" or "disk I/O error" and nothing else: not the
path, not who tried, not that it also needs a writable temporary folder. In a container the
usual causes are a bind-mounted folder owned by another uid and a read-only root filesystem
without a tmpfs on /tmp, so this names the path, the process's uid and gid, the folder's owner
and mode, and the temporary folders SQLite would use.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path

# Where SQLite (unix VFS) puts temporary files, in its order of preference.
SQLITE_TEMP_VARIABLES = ("SQLITE_TMPDIR", "TMPDIR")
SQLITE_TEMP_FOLDERS = ("/var/tmp", "/usr/tmp", "/tmp")


def _owner(path: Path) -> str:
    try:
        info = path.stat()
    except OSError as exc:
        return f"{path} cannot be examined ({exc.strerror})"
    return (f"{path} is owned by uid {info.st_uid} gid {info.st_gid}, "
            f"mode {stat.filemode(info.st_mode)}")


def writable_temp_folder(env: Mapping[str, str],
                         folders: Sequence[str] = SQLITE_TEMP_FOLDERS) -> str | None:
    candidates = [env[name] for name in SQLITE_TEMP_VARIABLES if env.get(name)]
    for folder in [*candidates, *folders]:
        if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return folder
    return None


def explain_open_failure(database: Path, error: BaseException,
                         env: Mapping[str, str] | None = None, *,
                         temp_folders: Sequence[str] = SQLITE_TEMP_FOLDERS) -> str:
    """One line: what failed, on which file, as whom, and the likely fix."""
    env = os.environ if env is None else env
    folder = database.parent if str(database.parent) else Path(".")
    parts = [f"cannot open the database {database}: {error}",
             f"running as uid {os.getuid()} gid {os.getgid()}"]
    if not os.access(folder, os.W_OK | os.X_OK):
        parts.append(f"{_owner(folder)}; make it writable by this uid "
                     f"(e.g. chown {os.getuid()}:{os.getgid()} {folder})")
    elif database.exists() and not os.access(database, os.R_OK | os.W_OK):
        parts.append(f"{_owner(database)}; make it readable and writable by this uid")
    if writable_temp_folder(env, temp_folders) is None:
        parts.append("SQLite finds no writable temporary folder (SQLITE_TMPDIR, TMPDIR, "
                     "/var/tmp, /usr/tmp, /tmp): with a read-only root filesystem mount a "
                     "tmpfs on /tmp")
    return "; ".join(parts)
