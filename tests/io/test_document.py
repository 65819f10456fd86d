"""The .netviz.json format: the corpus of good and bad files, strict reading, atomic writing."""

from __future__ import annotations

import errno
import json
import math
import os
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netviz.io import document
from netviz.io.document import (
    MAX_FILE_BYTES,
    MAX_HISTORY_POINTS,
    Document,
    DocumentError,
    document_from_state,
    dumps,
    load_document,
    load_problem,
    save_document,
)
from netviz.model.network import Architecture, Problem
from tests.model.closed_form import lecture_note_values

DATA = Path(__file__).resolve().parents[1] / "data" / "files"
GOOD = DATA / "good"
BAD = DATA / "bad"
EXPECTED: dict[str, str] = json.loads((BAD / "_expected.json").read_text(encoding="utf-8"))
NOTE = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45, "b1": 0.35, "b2": 0.35,
        "b3": 0.60, "x1": 0.05, "x2": 0.10, "t": 0.50, "eta": 0.5}


def _strict_json(text: str) -> object:
    def refuse(token: str) -> object:
        raise AssertionError(f"non-finite token {token} in a saved file")

    return json.loads(text, parse_constant=refuse)


# ---- the bad-file corpus --------------------------------------------------------------------

def test_every_bad_file_in_the_corpus_has_an_expected_message() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.name != "_expected.json"}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_refused_with_a_message_naming_file_and_field(name: str) -> None:
    path = BAD / name
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert str(info.value) == f"{path}: {EXPECTED[name]}"
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("name", ["nan.netviz.json", "string_weight.netviz.json", "unknown_key.netviz.json",
                                  "negative_size.netviz.json", "newer_version.netviz.json"])
def test_error_carries_the_field_separately(name: str) -> None:
    with pytest.raises(DocumentError) as info:
        load_document(BAD / name)
    field = EXPECTED[name].split(":")[0]
    assert info.value.field == field
    assert info.value.path == BAD / name
    assert info.value.reason and info.value.reason in str(info.value)


def test_code_in_a_file_is_never_run(tmp_path: Path) -> None:
    marker = Path("/tmp/netviz-pwned")
    marker.unlink(missing_ok=True)
    with pytest.raises(DocumentError):
        load_document(BAD / "code_in_value.netviz.json")
    assert not marker.exists()


def test_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.netviz.json"
    with open(big, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no need to write megabytes

    def no_reading(*args: object, **kwargs: object) -> object:
        raise AssertionError("the file was opened although it is too large")

    monkeypatch.setattr(document, "open", no_reading, raising=False)
    with pytest.raises(DocumentError) as info:
        load_document(big)
    want = f"too large ({MAX_FILE_BYTES + 1:,} bytes; netviz files are at most {MAX_FILE_BYTES:,} bytes)"
    assert str(info.value) == f"{big}: {want}"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"nope\.netviz\.json: no such file$"):
        load_document(tmp_path / "nope.netviz.json")
    with pytest.raises(DocumentError, match=r"is a folder, not a file$"):
        load_document(tmp_path)


def test_a_missing_folder_or_a_file_in_the_path_is_named(tmp_path: Path) -> None:
    """As `netviz FILE` says it (it said "cannot be read (Not a directory)" for --state)."""
    a_file = tmp_path / "good.netviz.json"
    shutil.copy(GOOD / "lecture_note.netviz.json", a_file)
    with pytest.raises(DocumentError) as info:
        load_document(a_file / "inner.netviz.json")
    assert str(info.value) == f"{a_file}/inner.netviz.json: no such file ({a_file} is a file, not a folder)"
    with pytest.raises(DocumentError) as info:
        load_document(tmp_path / "gone" / "x.netviz.json")
    assert str(info.value) == f"{tmp_path}/gone/x.netviz.json: no such file (the folder {tmp_path}/gone does not exist)"


def test_a_string_cut_short_says_where_it_starts_once(tmp_path: Path) -> None:
    text = (GOOD / "lecture_note.netviz.json").read_text(encoding="utf-8")
    cut = text[:text.index('"', text.index(":")) + 3]  # inside the first string value
    p = tmp_path / "cut.netviz.json"
    p.write_text(cut, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        load_document(p)
    message = str(info.value)
    assert "truncated JSON (the file ends too early): Unterminated string starting at line " in message
    assert " at at " not in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_or_device_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.netviz.json"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    with pytest.raises(DocumentError, match=r"pipe\.netviz\.json: is not a regular file$"):
        load_document(fifo)
    with pytest.raises(DocumentError, match=r"^/dev/zero: is not a regular file$"):
        load_document("/dev/zero")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:  # pragma: no cover - CI runs as root here
    p = tmp_path / "secret.netviz.json"
    shutil.copy(GOOD / "lecture_note.netviz.json", p)
    p.chmod(0)
    with pytest.raises(DocumentError, match="cannot be read"):
        load_document(p)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "bom.netviz.json"
    p.write_bytes(b"\xef\xbb\xbf" + (GOOD / "edited.netviz.json").read_bytes())
    assert load_document(p).problem.value("w5") == 0.3


# ---- the good-file corpus (written by this version; later versions must keep opening them) -----

def test_lecture_note_file() -> None:
    doc = load_document(GOOD / "lecture_note.netviz.json")
    p = doc.problem
    assert p.architecture == Architecture((2, 2, 1), "sigmoid", "half_squared_error")
    assert p.values() == NOTE
    assert doc.iteration == 0
    assert doc.loss_history == (lecture_note_values()["E"],)
    assert doc.loss_history_stride == 1


def test_edited_file() -> None:
    p = load_problem(GOOD / "edited.netviz.json")
    assert p.values() == dict(NOTE, w5=0.3, x1=1.0, x2=-2.0, t=0.9, eta=0.1)


def test_trained_file_history_matches_an_independent_implementation() -> None:
    doc = load_document(GOOD / "trained_1000.netviz.json")
    assert doc.iteration == 1000 and len(doc.loss_history) == 1001
    # Train the hand-written closed form for 1000 steps and compare.
    v = dict(NOTE)
    names = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")
    losses = []
    for _ in range(1001):
        vals = lecture_note_values(**v)
        losses.append(vals["E"])
        v.update({n: vals[f"{n}_new"] for n in names})
    assert doc.loss_history == pytest.approx(losses, rel=1e-12)
    final = lecture_note_values(**dict(NOTE, **{n: doc.problem.value(n) for n in names}))
    assert final["E"] == pytest.approx(losses[-1], rel=1e-12)


def test_other_architecture_file() -> None:
    doc = load_document(GOOD / "net_2_3_2_after_5.netviz.json")
    arch = doc.problem.architecture
    assert arch.layer_sizes == (2, 3, 2)
    assert arch.target_names == ("t1", "t2")
    assert doc.problem.targets == (0.2, 0.8) and doc.problem.inputs == (0.5, -0.25)
    assert doc.iteration == 5 and len(doc.loss_history) == 6


@pytest.mark.parametrize("name", sorted(p.name for p in GOOD.iterdir()))
def test_good_files_are_rewritten_byte_for_byte(name: str, tmp_path: Path) -> None:
    """The format is stable: reading and saving again reproduces the file exactly."""
    original = (GOOD / name).read_bytes()
    out = tmp_path / name
    save_document(out, load_document(GOOD / name))
    assert out.read_bytes() == original
    _strict_json(original.decode("utf-8"))


# ---- writing --------------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(params=st.lists(finite, min_size=9, max_size=9), x=st.tuples(finite, finite), t=finite, eta=finite,
       history=st.lists(st.floats(min_value=0, allow_infinity=False), max_size=20))
def test_any_finite_values_round_trip_exactly(params: list[float], x: tuple[float, float], t: float,
                                              eta: float, history: list[float]) -> None:
    import tempfile

    problem = Problem(Architecture(), tuple(params), x, (t,), eta)
    doc = Document(problem, 100, tuple(history))
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.netviz.json"
        save_document(path, doc)
        back = load_document(path)
    assert back == doc
    assert [math.copysign(1, v) for v in back.problem.params] == [math.copysign(1, v) for v in params]


def test_saving_nan_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    doc = Document(Problem.lecture_note(), 1, (0.3, math.nan))
    with pytest.raises(ValueError):
        save_document(tmp_path / "n.netviz.json", doc)
    assert list(tmp_path.iterdir()) == []


def test_state_with_nan_history_never_writes_it(tmp_path: Path) -> None:
    doc = document_from_state(Problem.lecture_note(), 2, [0.3, math.nan, 0.2])
    assert doc.loss_history == (0.3, 0.2)


def test_long_history_is_thinned_below_the_size_limit(tmp_path: Path) -> None:
    n = 2 * MAX_HISTORY_POINTS + 7
    history = [1.0 / (i + 1) for i in range(n)]
    path = tmp_path / "long.netviz.json"
    save_document(path, document_from_state(Problem.lecture_note(), n - 1, history))
    assert path.stat().st_size < MAX_FILE_BYTES
    doc = load_document(path)
    assert doc.loss_history_stride == 3
    assert doc.loss_history[:3] == (1.0, 1.0 / 4, 1.0 / 7)
    assert len(doc.loss_history) == -(-n // 3) <= MAX_HISTORY_POINTS

    # Reopened, the history has one loss per iteration again: each saved point stands for its
    # three iterations, so iteration i reads the loss saved for iteration i - i % 3.
    full = doc.history_by_iteration()
    assert len(full) == n == doc.iteration + 1
    for i in (0, 1, 2, 3, 4, n // 2, n - 2, n - 1):
        assert full[i] == history[i - i % 3]
    assert len(doc.history_by_iteration(limit=n - 1)) == len(doc.loss_history)  # too long: stays thinned


def test_a_thinned_history_claiming_huge_strides_is_not_expanded() -> None:
    doc = Document(Problem.lecture_note(), 10**12, (0.5, 0.4), 10**9)
    assert doc.history_by_iteration().tolist() == [0.5, 0.4]


def test_files_use_a_decimal_point_under_a_comma_locale(tmp_path: Path) -> None:
    from PySide6.QtCore import QLocale

    old = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        path = tmp_path / "de.netviz.json"
        save_document(path, document_from_state(Problem.lecture_note().with_value("w1", 0.5), 0, [0.25]))
        text = path.read_text(encoding="utf-8")
    finally:
        QLocale.setDefault(old)
    assert '"w1": 0.5,' in text and '"loss_history": [0.25]' in text and "0,5" not in text


def test_saved_file_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "p.netviz.json"
    shutil.copy(GOOD / "edited.netviz.json", path)
    path.chmod(0o640)
    save_document(path, load_document(GOOD / "lecture_note.netviz.json"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert load_problem(path).values() == NOTE


def _setup_existing(tmp_path: Path) -> tuple[Path, bytes, Document]:
    path = tmp_path / "work.netviz.json"
    shutil.copy(GOOD / "trained_1000.netviz.json", path)
    new = load_document(GOOD / "edited.netviz.json")
    return path, path.read_bytes(), new


def test_interrupted_replace_leaves_the_old_file_byte_identical(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path, before, new = _setup_existing(tmp_path)

    def crash(src: object, dst: object) -> None:
        raise KeyboardInterrupt  # the process is interrupted just before the rename

    monkeypatch.setattr(document.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        save_document(path, new)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


class _FullDisk:
    """A file object that accepts a little, then fails as a full disk does."""

    def __init__(self, fd: int, mode: str) -> None:
        self._f = open(fd, mode)  # noqa: SIM115 - closed in __exit__

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._f.close()

    def write(self, data: bytes) -> int:
        self._f.write(data[: len(data) // 2])
        self._f.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        self._f.flush()

    def fileno(self) -> int:
        return self._f.fileno()


def test_full_disk_mid_write_leaves_the_old_file_byte_identical(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path, before, new = _setup_existing(tmp_path)
    monkeypatch.setattr(document.os, "fdopen", _FullDisk)
    with pytest.raises(OSError) as info:
        save_document(path, new)
    assert info.value.errno == errno.ENOSPC
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_failing_fsync_leaves_the_old_file_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, before, new = _setup_existing(tmp_path)

    def bad_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(document.os, "fsync", bad_fsync)
    with pytest.raises(OSError):
        save_document(path, new)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_save_writes_through_a_temp_file_then_replaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _, new = _setup_existing(tmp_path)
    calls: list[tuple[str, ...]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append(("fsync",))
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(("replace", Path(src).parent.name, Path(dst).name))
        assert _strict_json(Path(src).read_text(encoding="utf-8"))  # complete before the rename
        real_replace(src, dst)

    monkeypatch.setattr(document.os, "fsync", fsync)
    monkeypatch.setattr(document.os, "replace", replace)
    save_document(path, new)
    assert calls[0] == ("fsync",)
    assert calls[1] == ("replace", tmp_path.name, path.name)  # same folder, so the rename is atomic
    assert calls[2:] == ([("fsync",)] if os.name == "posix" else [])  # the folder entry too
    assert load_document(path) == new


def test_dumps_is_strict_and_ordered() -> None:
    text = dumps(load_document(GOOD / "edited.netviz.json"))
    obj = _strict_json(text)
    assert isinstance(obj, dict)
    assert list(obj) == ["format", "format_version", "app_version", "architecture", "parameters", "inputs",
                         "targets", "learning_rate", "iteration", "loss_history", "loss_history_stride"]


def test_the_readme_example_is_what_this_version_writes() -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## File format", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```json\n(.*?)\n```", section, flags=re.S)
    assert example is not None
    shown = json.loads(example.group(1))
    written = json.loads(dumps(load_document(GOOD / "lecture_note.netviz.json")))
    shown.pop("app_version")  # changes with every release
    written.pop("app_version")
    assert shown == written


def test_saving_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.netviz.json"
    shutil.copy(GOOD / "edited.netviz.json", real)
    link = tmp_path / "link.netviz.json"
    link.symlink_to(real)
    save_document(link, load_document(GOOD / "lecture_note.netviz.json"))
    assert link.is_symlink() and load_problem(real).values() == NOTE


def test_saving_into_a_missing_folder_raises_naming_the_folder_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "x.netviz.json"
    with pytest.raises(FileNotFoundError) as caught:
        save_document(target, load_document(GOOD / "edited.netviz.json"))
    assert caught.value.strerror == f"the folder {tmp_path / 'nope'} does not exist"
    assert caught.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("below", ["x.netviz.json", "sub/x.netviz.json"])
def test_saving_below_a_file_says_that_part_is_a_file_not_a_folder(tmp_path: Path, below: str) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("not a folder", encoding="utf-8")
    with pytest.raises(NotADirectoryError) as caught:
        save_document(plain / below, load_document(GOOD / "edited.netviz.json"))
    assert caught.value.strerror == f"{plain} is a file, not a folder"
    assert plain.read_text(encoding="utf-8") == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_saving_into_a_folder_without_write_permission_names_the_folder(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """(The folder's refusal is simulated: this suite also runs as root, whom no folder refuses.)"""
    from netviz.io import atomic

    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(tmp_path / ".x.netviz.json.tmp"))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refused)
    with pytest.raises(PermissionError) as caught:
        save_document(tmp_path / "x.netviz.json", load_document(GOOD / "edited.netviz.json"))
    assert caught.value.strerror == f"permission denied: no new file can be made in the folder {tmp_path}"
    assert caught.value.filename == str(tmp_path / "x.netviz.json")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    from netviz.io.atomic import write_atomic

    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic(fifo, b"data")
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # never replaced by a file
    with pytest.raises(OSError, match="is a folder"):
        write_atomic(tmp_path, b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.png"]  # no temporary file left behind


def test_a_key_or_file_name_with_control_characters_is_written_escaped(tmp_path: Path) -> None:
    """A hostile key (a terminal colour code and a new line) or a file name with a new line
    stays one line of plain text in the message, for the terminal and the window alike."""
    data = json.loads((GOOD / "edited.netviz.json").read_text(encoding="utf-8"))
    data["\x1b[31mevil\nline"] = 1
    path = tmp_path / "new\nline.netviz.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    message = str(caught.value)
    assert message == (f"{tmp_path}/new\\nline.netviz.json: \\x1b[31mevil\\nline: "
                       "unknown key (not part of the netviz format)")
    assert message.isprintable()
    assert caught.value.field == "\x1b[31mevil\nline"  # the field itself is kept as it was


@pytest.mark.parametrize(("text", "read"), [("1e-400", None), ("-2.5E-999", None), ("0.0e-400", 0.0), ("0.000", 0.0),
                                            ("5e-324", 5e-324)])
def test_a_number_too_small_for_a_float_is_refused_not_read_as_zero(tmp_path: Path, text: str,
                                                                     read: float | None) -> None:
    source = (GOOD / "edited.netviz.json").read_text(encoding="utf-8")
    data = json.loads(source)
    data["parameters"]["w1"] = 12345.0  # a marker to replace with the number as typed
    path = tmp_path / "small.netviz.json"
    path.write_text(json.dumps(data).replace("12345.0", text), encoding="utf-8")
    if read is None:
        with pytest.raises(DocumentError, match=r"parameters\.w1: too small: .* is closer to 0 than the smallest"):
            load_document(path)
    else:
        assert load_document(path).problem.param("w1") == read


def test_format_version_is_a_whole_number_like_every_other(tmp_path: Path) -> None:
    data = json.loads((GOOD / "edited.netviz.json").read_text(encoding="utf-8"))
    for version, ok in ((1.0, True), (1, True), (1.5, False), ("1", False)):
        data["format_version"] = version
        path = tmp_path / "v.netviz.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        if ok:
            assert load_document(path).problem == load_document(GOOD / "edited.netviz.json").problem
        else:
            with pytest.raises(DocumentError, match="format_version: expected a whole number"):
                load_document(path)
