"""Writing a file so that it is either the old one or the whole new one, never half of either.

A temporary file in the same folder is written, flushed and fsynced, then moved over the target
with :func:`os.replace` (atomic on one file system), and the folder is fsynced so the rename
survives a power cut. Used for saved networks, autosaves and screenshots.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data``; on any failure the old file is untouched and no temp file is left.

    A symbolic link is written through (its target is replaced, as an editor does). Anything
    that exists but is not a regular file (a folder, a device such as /dev/full, a pipe) is
    refused with an :class:`OSError`, never replaced.
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except NotADirectoryError as e:  # a part of the folder's path is a file
        raise NotADirectoryError(e.errno, folder_problem(target.parent) or e.strerror, os.fspath(path)) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device or a pipe)"
        raise OSError(f"{path} is {what}")
    directory = target.parent if str(target.parent) else Path(".")
    mode = st.st_mode & 0o777 if st is not None else _default_mode()
    fd, tmp_name = _temporary_beside(target, directory, path)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(directory)


def folder_problem(directory: Path) -> str | None:
    """What stops a file being made in ``directory`` when the folder itself is the problem: it
    does not exist, or a part of its path is a file. None when it is a folder."""
    if directory.is_dir():
        return None
    for part in (directory, *directory.parents):
        if part.exists():
            if not part.is_dir():
                return f"{part} is a file, not a folder"
            break
    return f"the folder {directory} does not exist"


NO_SUCH_FILE = "no such file"


def missing_file(path: str | os.PathLike[str]) -> str:
    """Why ``path`` cannot be read when it does not exist: "no such file", with the folder's
    problem when the folder is what is missing (or a part of its path is a file)."""
    text = os.fspath(path)
    problem = folder_problem(Path(text).parent) if os.path.dirname(text) else None
    return NO_SUCH_FILE + (f" ({problem})" if problem else "")


def _temporary_beside(target: Path, directory: Path, path: str | os.PathLike[str]) -> tuple[int, str]:
    """A new temporary file in ``directory``; an error names the folder when the folder is what
    is wrong ("No such file or directory" alone did not say which part of the path was missing)."""
    try:
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except FileNotFoundError as e:  # (a file in the folder's path already failed write_atomic's stat)
        problem = folder_problem(directory)
        if problem is None:
            raise
        raise FileNotFoundError(e.errno, problem, os.fspath(path)) from None
    except PermissionError:
        raise PermissionError(errno.EACCES, f"permission denied: no new file can be made in the folder {directory}",
                              os.fspath(path)) from None


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
