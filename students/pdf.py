"""A small structural check that an uploaded file really is a PDF, without a PDF library.

It reads the header, the trailer and the cross-reference table the trailer points to: enough to
turn away renamed images, Word files and truncated downloads, which is what students actually upload.
"""

import re

HEADER = re.compile(rb"%PDF-[12]\.\d")
STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
XREF_TARGET = re.compile(rb"xref|\d+\s+\d+\s+obj")
TAIL_BYTES = 2048
# Some writers are a few bytes out in the offset they record; readers tolerate that, so do we.
OFFSET_SLACK = 32

NOT_A_PDF = "This file isn't a PDF. Save or export your résumé as a PDF and upload that."
BROKEN_PDF = "This PDF looks damaged or incomplete, so businesses couldn't open it. Export it again and re-upload."


def pdf_problem(upload) -> str | None:
    """Return a message for the student if `upload` is not a complete PDF, or None if it looks fine."""
    upload.seek(0)
    if not HEADER.match(upload.read(16)):
        return NOT_A_PDF
    size = upload.size
    upload.seek(max(0, size - TAIL_BYTES))
    tail = upload.read()
    trailers = STARTXREF.findall(tail)
    if not trailers:
        return BROKEN_PDF
    offset = int(trailers[-1])
    if offset >= size:
        return BROKEN_PDF
    start = max(0, offset - OFFSET_SLACK)
    upload.seek(start)
    around = upload.read(offset - start + 64)
    upload.seek(0)
    if not XREF_TARGET.search(around):
        return BROKEN_PDF
    return None
