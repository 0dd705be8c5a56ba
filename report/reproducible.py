"""Office files (XLSX, PPTX) as a pure function of what they show and the day they are made.

An Office file is a zip archive; the libraries that write them stamp every member with the
second it was written and the document properties with the moment it was created, so two
clicks on the same download gave different bytes. :func:`stamped` rewrites an archive with
every member dated midnight of ``day`` and the ``created`` and ``modified`` properties set
to that day, the same for workbooks embedded in it (a deck's chart data). The same view on
the same day is then the same bytes, whether it is downloaded from a page, written by
``market export`` or fetched from the HTTP API, and its ETag stays put.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

__all__ = ["stamped"]

_CORE = "docProps/core.xml"
_DATED = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
_EMBEDDED = (".xlsx", ".xlsm", ".docx", ".pptx")


def stamped(archive: bytes, day: dt.date) -> bytes:
    """``archive`` with every member, and every Office archive inside it, dated ``day``."""
    when = (day.year, day.month, day.day, 0, 0, 0)
    moment = f"{day.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for member in source.infolist():
            data = source.read(member)
            if member.filename == _CORE:
                data = _DATED.sub(lambda m: m[1] + moment + m[3], data)
            elif member.filename.lower().endswith(_EMBEDDED) and zipfile.is_zipfile(
                io.BytesIO(data)
            ):
                data = stamped(data, day)
            info = zipfile.ZipInfo(member.filename, date_time=when)
            info.compress_type = member.compress_type
            info.external_attr = member.external_attr
            target.writestr(info, data)
    return out.getvalue()
