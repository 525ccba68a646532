"""Legacy Word documents (.doc) and RTF, read by converting them to .docx with LibreOffice.

No Python library states the merged cells of a Word 97–2003 binary document or of an RTF
file; LibreOffice Writer reads both and writes them back as .docx, whose reader
(:mod:`extractor.readers.word`) then gives the grids as for any .docx. The result keeps the
detected format ("doc", "rtf"): the .docx is a means, not the source.

LibreOffice runs as ``soffice --headless --convert-to docx``, a child process that needs care:

- a private user profile, made for the one conversion and removed after it, so that
  conversions can run side by side and never wait for (or change) a LibreOffice the user
  has open, which would otherwise take the conversion over or refuse it;
- a copy of the file under a fixed name in a private temporary directory: nothing taken from
  the document, not even its file name, becomes a path or an argument;
- a session of its own and a time limit (``CONVERSION_TIMEOUT_S``): the ``soffice``
  launcher starts ``soffice.bin``, so on time-out the whole process group is killed;
- its output goes to a file, not a pipe, which a killed launcher's children could hold open;
- no network: a document can link pictures or other content by URL, which LibreOffice would
  fetch while converting (any file dropped or crawled could make the host call any address).
  It runs in a network namespace of its own (``unshare --net``, as root or through a user
  namespace), where no address outside answers; where no namespace can be made the document
  gets the warning ``converter_network``. Its profile also blocks links from untrusted
  documents (``BlockUntrustedRefererLinks``);
- an address-space limit (``CONVERTER_MAX_MEMORY_MB``, lower where this process has a lower
  one): a document that makes LibreOffice run out of it ends ``too_large``, not ``corrupt``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from extractor.errors import ConverterMissing, CorruptDocument, EncryptedDocument, TimedOut, TooLarge
from extractor.model import Document, Issue
from extractor.readers import word
from extractor.readers.budget import Budget
from extractor.readers.files import file_bytes

#: Seconds LibreOffice gets for one document; a conversion takes about 1.5 s, a long
#: report a few more, so only a hung process reaches this.
CONVERSION_TIMEOUT_S = 60.0
#: The address space LibreOffice may take: it starts in about 800 MB (its own reservations),
#: a long report takes a few hundred more.
CONVERTER_MAX_MEMORY_MB = 2048
#: What LibreOffice prints when it dies: an abort (std::bad_alloc under the limit) or a crash.
_CRASH_MARKS = ("Fatal exception", "bad_alloc", "Cannot allocate memory", "out of memory")
#: The profile's settings: links in untrusted documents are not followed.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""
#: Names LibreOffice's command goes by on PATH, most usual first.
CONVERTER_NAMES = ("soffice", "libreoffice")
INSTALL_COMMAND = "apt-get install libreoffice-writer-nogui"
#: What each converted format is, in messages, and the suffix its temporary copy carries so
#: that LibreOffice picks the right import filter.
_FORMATS = {
    "doc": ("a legacy Word document (.doc)", ".doc"),
    "rtf": ("an RTF document", ".rtf"),
}
#: The .docx export filter, named so LibreOffice never picks another one for "docx".
_DOCX_FILTER = "docx:MS Word 2007 XML"
#: How much of LibreOffice's own output goes into an error message.
_LOG_TAIL_CHARS = 300
#: A .doc's File Information Block opens with this magic number (``wIdent``) and holds the
#: ``fEncrypted`` bit in the flags word at offset 10.
_FIB_MAGIC = b"\xec\xa5"
_FIB_FLAGS_OFFSET = 10
_FIB_ENCRYPTED = 0x0100


def read(path: Path, fmt: str, *, cells: Budget | None = None) -> Document:
    """Every table of the .doc or RTF file at ``path``, ``fmt`` being its detected format; the
    .docx LibreOffice makes of it spends ``cells`` as any .docx does."""
    data = file_bytes(path)
    origin = str(path)
    if fmt == "doc":
        _refuse_encrypted(data, origin)
    converter = find_converter(path.name, fmt)
    docx_data = convert_to_docx(data, fmt, converter, origin)
    try:
        document = word.read_bytes(docx_data, origin, cells=cells)
    except CorruptDocument as exc:
        raise CorruptDocument(
            f"{origin}: LibreOffice converted it into a .docx that cannot be read ({exc.message})"
        ) from exc
    warnings = document.warnings
    if not network_isolation():
        warnings += (
            Issue(
                "converter_network",
                f"{origin}: LibreOffice converted it with network access (no network namespace could "
                "be made: unshare is missing or user namespaces are off); links it holds were blocked "
                "by LibreOffice's settings only",
            ),
        )
    return replace(document, format=fmt, warnings=warnings)


@functools.cache
def network_isolation() -> tuple[str, ...]:
    """The command prefix that runs a program without network (a network namespace of its own,
    with only a loopback that is down), or () where none can be made here."""
    unshare, true = shutil.which("unshare"), shutil.which("true")
    if unshare is None or true is None:
        return ()
    for prefix in ((unshare, "--net"), (unshare, "--user", "--map-root-user", "--net")):
        try:
            made = subprocess.run([*prefix, true], capture_output=True, timeout=10).returncode == 0
        except (OSError, subprocess.SubprocessError):
            made = False
        if made:
            return prefix
    return ()


def find_converter(name: str, fmt: str) -> str:
    """The path of LibreOffice's ``soffice`` on PATH, or ``ConverterMissing`` saying how to get it."""
    for command in CONVERTER_NAMES:
        found = shutil.which(command)
        if found is not None:
            return found
    raise ConverterMissing(
        f"{name} is {_FORMATS[fmt][0]}, which is read through LibreOffice Writer, and no soffice "
        f"is on PATH: install it ({INSTALL_COMMAND}) or save the file as .docx and retry"
    )


def conversion_command(converter: str, profile: Path, outdir: Path, source: Path) -> list[str]:
    """The command line that converts ``source`` into a .docx in ``outdir``."""
    return [
        converter,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        _DOCX_FILTER,
        "--outdir",
        str(outdir),
        str(source),
    ]


def convert_to_docx(data: bytes, fmt: str, converter: str, origin: str) -> bytes:
    """The .docx LibreOffice makes of ``data`` (a ``fmt`` file); every temporary file is removed.

    A failed conversion is the memory limit's (``TooLarge``) where LibreOffice died, or where it
    converts a one-line document without the limit but not within it: short of memory while
    loading, it says only "source file could not be loaded" and exits 0, as for a damaged file."""
    kind, _ = _FORMATS[fmt]
    limit = _converter_memory_mb()
    converted, returncode, log = _convert(data, fmt, converter, origin, limit)
    if converted is not None:
        return converted
    died = returncode < 0 or returncode > 128 or any(mark in log for mark in _CRASH_MARKS)
    if died or (not _converts_trial(converter, limit) and _converts_trial(converter, None)):
        raise TooLarge(
            f"{origin}: LibreOffice {'died converting it' if died else 'could not load it'} "
            f"(exit status {returncode}), most likely out of the {_converter_memory_mb()} MB of memory "
            f"it may use: {kind} this large is better saved as .docx and parsed from that (or raise "
            "--max-memory)"
        )
    said = _complaint(log)
    raise CorruptDocument(
        f"{origin}: LibreOffice could not convert it to .docx (exit status {returncode}"
        f"{': ' + said if said else ''}); the file is damaged or not really {kind}"
    )


#: A document any LibreOffice converts: what ``_converts_trial`` tries.
_PROBE_RTF = b"{\\rtf1\\ansi probe\\par}"


@functools.cache
def _converts_trial(converter: str, memory_mb: int | None) -> bool:
    """Whether LibreOffice converts a one-line RTF within ``memory_mb`` (None: with no limit of
    its own), tried once per process and limit after a conversion failed."""
    converted, _, _ = _convert(_PROBE_RTF, "rtf", converter, "a one-line trial document", memory_mb)
    return converted is not None


def _convert(
    data: bytes, fmt: str, converter: str, origin: str, memory_mb: int | None
) -> tuple[bytes | None, int, str]:
    """One LibreOffice run on ``data`` within ``memory_mb`` of address space (None: no limit of
    its own): the .docx it made (None when it made none), its exit status and what it printed."""
    _, suffix = _FORMATS[fmt]
    with tempfile.TemporaryDirectory(prefix="extractor-convert-") as tmp:
        work = Path(tmp)
        source = work / f"source{suffix}"
        source.write_bytes(data)
        outdir = work / "out"
        outdir.mkdir()
        log_path = work / "soffice.log"
        settings = work / "profile" / "user" / "registrymodifications.xcu"
        settings.parent.mkdir(parents=True)
        settings.write_text(_PROFILE_SETTINGS, encoding="utf-8")
        command = [*network_isolation(), *conversion_command(converter, work / "profile", outdir, source)]
        returncode = _run(command, work, log_path, origin, memory_mb)
        produced = outdir / "source.docx"
        if produced.is_file() and produced.stat().st_size > 0:
            return produced.read_bytes(), returncode, ""
        return None, returncode, log_path.read_text(encoding="utf-8", errors="replace")


def _complaint(log: str) -> str:
    """What LibreOffice said about a failed conversion: its error lines, else its last words.

    It exits with status 0 even when it cannot load the file, and warns about things that do
    not matter here (no Java), so only lines that start with "Error" are the reason.
    """
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error")]
    return "; ".join(errors or lines[-1:])[-_LOG_TAIL_CHARS:]


def _run(command: list[str], work: Path, log_path: Path, origin: str, memory_mb: int | None) -> int:
    """Run ``command`` in ``work`` within the time limit and ``memory_mb``; its exit status."""
    # LibreOffice writes caches under HOME; a private one keeps it off the user's files
    # and lets it run where HOME is missing or read-only.
    environment = {**os.environ, "HOME": str(work)}
    with log_path.open("wb") as log:
        try:
            process = subprocess.Popen(
                command,
                cwd=work,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=functools.partial(_limit_memory, memory_mb),
            )
        except OSError as exc:
            raise ConverterMissing(
                f"{origin}: LibreOffice ({command[0]}) cannot be started ({exc.strerror or exc}); "
                f"reinstall it ({INSTALL_COMMAND})"
            ) from exc
        try:
            return process.wait(timeout=CONVERSION_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise TimedOut(
                f"{origin}: LibreOffice did not convert it within {CONVERSION_TIMEOUT_S:g} s and was "
                "stopped; open the file in Word or LibreOffice, save it as .docx and retry"
            ) from exc
        finally:
            _kill_group(process)


def _converter_memory_mb() -> int:
    """``CONVERTER_MAX_MEMORY_MB``, or this process's own address-space limit where lower (a
    batch worker's --max-memory)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    own = CONVERTER_MAX_MEMORY_MB if soft == resource.RLIM_INFINITY else soft >> 20
    return min(CONVERTER_MAX_MEMORY_MB, own)


def _limit_memory(memory_mb: int | None) -> None:
    """In the child, before LibreOffice starts: its address-space limit (None: as high as this
    process may allow, a trial run's, above a batch worker's own limit)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if memory_mb is None:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    limit = memory_mb << 20
    resource.setrlimit(
        resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard)
    )


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill whatever is left of the process group the conversion started, and reap the launcher."""
    # ProcessLookupError: the group is gone, every process of it has exited.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _refuse_encrypted(data: bytes, origin: str) -> None:
    """``EncryptedDocument`` for a password-protected .doc, which LibreOffice cannot open unattended.

    The flag is in the File Information Block at the start of the ``WordDocument`` stream. A
    container whose stream cannot be read is left to LibreOffice, which says what is wrong.
    """
    # xlrd, which reads OLE containers for the .xls reader, is imported only for a .doc.
    from xlrd.compdoc import CompDoc, CompDocError

    try:
        stream = CompDoc(data, logfile=io.StringIO()).get_named_stream("WordDocument")
    except (CompDocError, AssertionError, IndexError, ValueError, EOFError, RecursionError):
        return
    if stream is None or len(stream) < _FIB_FLAGS_OFFSET + 2 or not stream.startswith(_FIB_MAGIC):
        return
    flags = int.from_bytes(stream[_FIB_FLAGS_OFFSET : _FIB_FLAGS_OFFSET + 2], "little")
    if flags & _FIB_ENCRYPTED:
        raise EncryptedDocument(
            f"{origin} is a password-protected Word document: open it, remove the password and save it again"
        )
