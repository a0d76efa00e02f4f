"""Unpacks the zip of a site that the admin uploads, refusing what could write outside the folder or fill the disk.

Every member is checked before anything is written: no absolute paths, no ``..``, no symbolic links, no
encryption, at most ``MAX_MEMBERS`` members and ``MAX_SIZE`` bytes in all, and no member inflating more than
``MAX_RATIO`` times (a zip bomb). Each refusal is a ``NotAnExport`` with one sentence for the user. macOS's
``__MACOSX/`` resource forks are left out.
"""

import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from .records import NotAnExport

MAX_MEMBERS = 20_000
MAX_SIZE = 2 * 1024**3  # uncompressed, all members together
MAX_RATIO = 100  # uncompressed size / compressed size, per member
SKIPPED = "__MACOSX"
LEADS_OUT = "The zip holds a path leading out of its folder ({}), so it was not unpacked."


def extract_zip(zip_path: Path, into: Path) -> Path:
    """Extract the zip into ``into``; the site's root: its only top-level folder if it has one, else ``into``."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError):
        raise NotAnExport("This file is not a zip archive.") from None
    into = Path(into)
    with archive:
        members = [(member, name) for member in archive.infolist() if (name := checked_name(member)) is not None]
        check_sizes([member for member, _ in members])
        into.mkdir(parents=True, exist_ok=True)
        for member, name in members:
            extract(archive, member, into, name)
    return site_root(into, [name for _, name in members])


def checked_name(member):
    """The member's path (forward slashes), None for macOS's extras; NotAnExport for one that could escape."""
    name = member.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if name.startswith("/") or (path.parts and path.parts[0].endswith(":")):
        raise NotAnExport(f"The zip holds an absolute path ({member.filename}), so it was not unpacked.")
    if ".." in path.parts:
        raise NotAnExport(LEADS_OUT.format(member.filename))
    if stat.S_ISLNK(member.external_attr >> 16):
        raise NotAnExport(f"The zip holds a symbolic link ({member.filename}), so it was not unpacked.")
    if member.flag_bits & 0x1:
        raise NotAnExport(f"The zip holds an encrypted file ({member.filename}); upload one without a password.")
    if not path.parts or path.parts[0] == SKIPPED or path.name == ".DS_Store":
        return None
    return name


def check_sizes(members):
    """Refuse a zip with too many members, too many bytes, or a member that inflates like a zip bomb."""
    if len(members) > MAX_MEMBERS:
        raise NotAnExport(f"The zip holds {len(members):,} files; at most {MAX_MEMBERS:,} are read.")
    if sum(member.file_size for member in members) > MAX_SIZE:
        raise NotAnExport(f"The zip unpacks to more than {MAX_SIZE // 1024**3} GB; upload a smaller one.")
    for member in members:
        if member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise NotAnExport(
                f"The zip's {member.filename} inflates over {MAX_RATIO} times its size, as a zip bomb does, "
                "so it was not unpacked."
            )


def extract(archive, member, into, name):
    """Write one member, never more bytes than it declares (zipfile stops there) and never outside ``into``."""
    target = into.joinpath(*PurePosixPath(name).parts)
    if not target.resolve().is_relative_to(into.resolve()):
        raise NotAnExport(LEADS_OUT.format(member.filename))
    try:
        if member.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, open(target, "wb") as destination:
            shutil.copyfileobj(source, destination)
    except (OSError, zipfile.BadZipFile, NotImplementedError) as error:
        raise NotAnExport(f"The zip could not be unpacked ({member.filename}: {error}).") from None


def site_root(into, names):
    """The only top-level folder (a "myblog-main/" zip), else the folder the zip was unpacked into."""
    tops = {PurePosixPath(name).parts[0] for name in names}
    if len(tops) == 1:
        top = into / tops.pop()
        if top.is_dir():
            return top
    return into
