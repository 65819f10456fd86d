"""The Linux installers, built and used as a teacher would: packaging/build.sh, then the .deb
installed with dpkg, launched through /usr/bin/netviz, self-tested offscreen and on Xvfb with
Qt's real xcb platform, its desktop entry and metainfo validated, and removed again; the portable
tarball unpacked and run from another folder; and the .deb's Depends proven in a minimal Debian.

The build takes a few minutes. It is reused when dist/ already holds a .deb and a tarball newer
than every source file (so a second run is quick); otherwise build.sh runs with this test's own
Python, into which it pip-installs PyInstaller (the 'packaging' extra) if it is missing.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import netviz

ROOT = Path(__file__).resolve().parents[2]
VERSION = netviz.__version__
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
SOURCES = ("netviz", "packaging", "resources", "pyproject.toml", "CHANGELOG.md")
BUILD_TIMEOUT = 1500
LOCK = "/tmp/netviz-packaging-tests.lock"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("dpkg-deb") is None,
                       reason="the Linux installers need Linux with dpkg"),
]


def _arch() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def _newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else [p for p in path.rglob("*")
                                               if p.is_file() and "__pycache__" not in p.parts]
        newest = max([newest, *(p.stat().st_mtime for p in files)])
    return newest


def _apt_install(package: str, tool: str) -> bool:
    """Install a Debian package when its tool is missing and we are root (as in CI); True if present."""
    if shutil.which(tool):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", package], capture_output=True, timeout=600,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which(tool) is not None


@pytest.fixture(scope="module", autouse=True)
def one_run_at_a_time() -> Iterator[None]:
    """Two test runs on one machine would share dist/, the installed package and /opt/netviz."""
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="module")
def built() -> dict[str, Path]:
    deb = ROOT / "dist" / f"netviz_{VERSION}_{_arch()}.deb"
    tarball = ROOT / "dist" / f"netviz-{VERSION}-linux-{os.uname().machine}.tar.gz"
    fresh = deb.is_file() and tarball.is_file() and min(deb.stat().st_mtime, tarball.stat().st_mtime) > _newest_source()
    if not fresh:
        env = {**os.environ, "NETVIZ_BUILD_PYTHON": sys.executable}
        env.pop("QT_QPA_PLATFORM", None)  # build.sh chooses the platform for each of its runs
        result = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=BUILD_TIMEOUT)
        assert result.returncode == 0, f"build.sh failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    assert deb.is_file() and tarball.is_file()
    return {"deb": deb, "tarball": tarball}


def _clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """A user's environment: a standard PATH (no venv), the user's settings in a scratch folder."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME",
                        "PYTHONDEVMODE", "PYTHONWARNINGS", "LD_LIBRARY_PATH")}
    env.update(PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
               XDG_CONFIG_HOME=str(tmp / "config"), XDG_DATA_HOME=str(tmp / "data"),
               XDG_CACHE_HOME=str(tmp / "cache"))
    env.update(extra)
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def xvfb_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
    """A private Xvfb display number, or None when Xvfb is missing (those checks then skip)."""
    if shutil.which("Xvfb") is None:
        yield None
        return
    log = tmp_path_factory.mktemp("xvfb") / "xvfb.log"
    read_fd, write_fd = os.pipe()
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=log_file)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        assert number.isdigit(), f"Xvfb did not start: {log.read_text(errors='replace')}"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _assert_runs(exe: str, where: Path, tmp: Path, display: str | None) -> None:
    """--version, --self-test and --frozen-check, offscreen and (given a display) on xcb."""
    env = _clean_env(tmp, QT_QPA_PLATFORM="offscreen")
    version = _run([exe, "--version"], where, env)
    assert (version.returncode, version.stdout.strip()) == (0, f"netviz {VERSION}"), version.stderr
    platforms = [("offscreen", env)]
    if display is not None:
        platforms.append(("xcb", _clean_env(tmp, QT_QPA_PLATFORM="xcb", DISPLAY=display)))
    for platform, penv in platforms:
        test = _run([exe, "--self-test"], where, penv)
        assert test.returncode == 0, f"--self-test on {platform}:\n{test.stdout}\n{test.stderr}"
        assert re.search(rf"^netviz self-test: OK \(Qt [\d.]+ on {platform};", test.stdout, re.M), test.stdout
        check = _run([exe, "--frozen-check"], where, penv)
        assert check.returncode == 0, f"--frozen-check on {platform}:\n{check.stdout}\n{check.stderr}"
        assert "frozen check (frozen): ok" in check.stdout and f"platform {platform}" in check.stdout, check.stdout
        assert "Export..." in check.stdout and "Plot Options" in check.stdout
        for out in (test.stderr, check.stderr):
            assert not re.search(r"could not load|cannot load|not found|Traceback", out, re.I), out


def test_deb_metadata_and_layout(built: dict[str, Path]) -> None:
    deb = built["deb"]
    fields = subprocess.run(["dpkg-deb", "--field", str(deb)], capture_output=True, text=True, check=True).stdout
    control = dict(re.findall(r"^([\w-]+): (.*)$", fields, re.M))
    assert control["Package"] == "netviz"
    assert control["Version"] == VERSION
    assert control["Architecture"] == _arch()
    depends = {re.split(r"[ (]", d.strip())[0] for d in control["Depends"].split(",")}
    # What Qt's xcb platform needs, named independently of dpkg-shlibdeps: the README's list.
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0",
            "libxcb-randr0", "libxcb-shape0", "libxcb-xfixes0", "libxcb-xkb1", "libxkbcommon-x11-0",
            "libxkbcommon0", "libx11-xcb1", "libegl1", "libgl1", "libfontconfig1", "libfreetype6",
            "libdbus-1-3", "libglib2.0-0"} <= depends
    contents = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    paths = {line.split()[5].lstrip(".") for line in contents.splitlines()}
    expected = {"/opt/netviz/netviz", "/usr/bin/netviz", "/usr/share/applications/netviz.desktop",
                "/usr/share/metainfo/io.github.netviz.metainfo.xml", "/usr/share/doc/netviz/copyright",
                "/usr/share/icons/hicolor/scalable/apps/netviz.svg",
                "/opt/netviz/_internal/PySide6/Qt/plugins/platforms/libqxcb.so"}
    expected |= {f"/usr/share/icons/hicolor/{n}x{n}/apps/netviz.png" for n in ICON_SIZES}
    expected |= {f"/opt/netviz/_internal/netviz/resources/{p.relative_to(ROOT / 'netviz' / 'resources')}"
                 for p in (ROOT / "netviz" / "resources").rglob("*") if p.is_file()}
    assert expected <= paths, sorted(expected - paths)
    # Nothing unwanted rode along: tkinter, Qt's web/QML/network stacks, the test tools.
    unwanted = re.compile(r"tkinter|_tkinter|libtk|QtWebEngine|libQt6Qml|libQt6Quick|libQt6Network|/pytest|/hypothesis")
    assert not [p for p in paths if unwanted.search(p)]


def test_tarball_runs_from_another_folder(built: dict[str, Path], tmp_path: Path, xvfb_display: str | None) -> None:
    with tarfile.open(built["tarball"]) as tar:
        names = tar.getnames()
        assert all(n == f"netviz-{VERSION}" or n.startswith(f"netviz-{VERSION}/") for n in names)
        tar.extractall(tmp_path / "unpacked", filter="tar")
    exe = tmp_path / "unpacked" / f"netviz-{VERSION}" / "netviz"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _assert_runs(str(exe), elsewhere, tmp_path, xvfb_display)


@pytest.fixture
def installed_deb(built: dict[str, Path]) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("installing the .deb needs root (CI runs as root)")
    result = subprocess.run(["dpkg", "-i", str(built["deb"])], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"dpkg -i failed:\n{result.stdout}\n{result.stderr}"
    try:
        yield built["deb"]
    finally:
        removed = subprocess.run(["dpkg", "-r", "netviz"], capture_output=True, text=True, timeout=300)
        assert removed.returncode == 0, removed.stderr
        assert not Path("/usr/bin/netviz").exists() and not Path("/opt/netviz/netviz").exists()


def test_installed_deb_runs_validates_and_removes(installed_deb: Path, tmp_path: Path,
                                                  xvfb_display: str | None) -> None:
    status = subprocess.run(["dpkg-query", "-W", "-f", "${Status} ${Version}", "netviz"],
                            capture_output=True, text=True, check=True).stdout
    assert status == f"install ok installed {VERSION}"
    assert Path("/usr/bin/netviz").is_file() and os.access("/usr/bin/netviz", os.X_OK)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _assert_runs("/usr/bin/netviz", elsewhere, tmp_path, xvfb_display)
    # The menu entry launches what was installed, with the installed icon.
    desktop = Path("/usr/share/applications/netviz.desktop").read_text(encoding="utf-8")
    entry = dict(re.findall(r"^(\w+)=(.*)$", desktop, re.M))
    assert entry["Exec"].split()[0] == "netviz" and entry["Icon"] == "netviz" and entry["Terminal"] == "false"
    assert shutil.which("netviz", path="/usr/bin") == "/usr/bin/netviz"
    if _apt_install("desktop-file-utils", "desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", "/usr/share/applications/netviz.desktop"],
                               capture_output=True, text=True)
        assert check.returncode == 0 and "error" not in check.stdout.lower(), check.stdout + check.stderr
    if shutil.which("appstreamcli"):
        check = subprocess.run(["appstreamcli", "validate", "--no-net",
                                "/usr/share/metainfo/io.github.netviz.metainfo.xml"], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    _assert_icons(Path("/usr/share/icons/hicolor"))


def _assert_icons(hicolor: Path) -> None:
    """Each installed PNG has its nominal size and is the icon (a dark square with white nodes)."""
    from PySide6.QtGui import QColor, QImage

    for n in ICON_SIZES:
        image = QImage(str(hicolor / f"{n}x{n}" / "apps" / "netviz.png"))
        assert (image.width(), image.height()) == (n, n)
        centre_ring = QColor(image.pixel(n // 2, n // 2))
        corner = QColor.fromRgba(image.pixel(0, 0))
        assert corner.alpha() < 64, f"{n}px: the rounded corner should be transparent"
        assert centre_ring.alpha() == 255
        if n >= 48:  # the output node (white) sits at (196, 128) of 256
            node = QColor(image.pixel(round(196 / 256 * n), round(128 / 256 * n) - max(1, n // 16)))
            assert min(node.red(), node.green(), node.blue()) > 200, f"{n}px: no white output node"
            background = QColor(image.pixel(round(128 / 256 * n), round(24 / 256 * n)))
            assert background.blue() > background.red() and background.value() < 140, f"{n}px: background"


def test_deb_depends_suffice_in_a_minimal_debian(built: dict[str, Path]) -> None:
    """packaging/check_clean_install.sh: debootstrap, apt-get install the .deb, run it there."""
    if os.geteuid() != 0:
        pytest.skip("chroot needs root (CI runs as root)")
    if not _apt_install("debootstrap", "debootstrap"):
        pytest.skip("debootstrap is not available")
    result = subprocess.run(["bash", str(ROOT / "packaging" / "check_clean_install.sh"), str(built["deb"])],
                            capture_output=True, text=True, timeout=1200)
    if result.returncode == 3:  # no minimal Debian could be made here (Debian's mirror unreachable)
        pytest.skip(result.stderr.strip().splitlines()[-1])
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    assert re.search(r"^check_clean_install: ok:", result.stdout, re.M)
    assert "[xcb on Xvfb] netviz self-test: OK" in result.stdout or shutil.which("Xvfb") is None
