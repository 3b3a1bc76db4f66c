"""Résumé uploads: a complete PDF without a password, with at least one page, and nothing in it that runs.

Businesses open résumés on their own computers, so a file that runs script, launches programs or carries
other files inside is refused, however it got there. Read with pypdf, which (like PDF readers) tolerates a
few stray bytes before the header or after the end.
"""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Readers accept the header anywhere in the first kilobyte.
HEADER = b"%PDF-"
HEADER_WINDOW = 1024
END_MARKER = b"%%EOF"
# Keys that carry script, programs to launch, attached files or embedded media, wherever they appear.
ACTIVE_KEYS = frozenset(
    {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/AA", "/RichMedia", "/XFA"}
)
# Action types (an action's /S) that run something. Links (/URI, /GoTo) and plain open-at-page are fine.
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/RichMediaExecute", "/ImportData"})
# A five-megabyte résumé has a few thousand objects; a file with far more is not a résumé.
MAX_OBJECTS = 200_000

EMPTY = "This file is empty. Save or export your résumé as a PDF again and upload that."
NOT_A_PDF = "This file isn't a PDF. Save or export your résumé as a PDF and upload that."
BROKEN = "This PDF looks damaged or incomplete, so businesses couldn't open it. Export it again and re-upload."
ENCRYPTED = (
    "This PDF is protected with a password, so businesses couldn't open it. "
    "Save a copy without a password and upload that."
)
NO_PAGES = "This PDF has no pages. Export your résumé again and upload that."
ACTIVE = (
    "This PDF contains scripts, attached files or other active content, which we don't accept. "
    "Print it to a new PDF (“Save as PDF”) and upload that."
)
TOO_COMPLEX = "This PDF is too complex for us to check. Print it to a new PDF (“Save as PDF”) and upload that."


def too_big_message(size: int, limit: int) -> str:
    return (
        f"This file is {size / 1024 / 1024:.1f} MB; the limit is {limit // 1024 // 1024} MB. "
        "Try exporting it again with smaller images."
    )


class _TooComplex(Exception):
    pass


def validate_resume(upload) -> None:
    """Raise ValidationError with a message for the student unless `upload` is a résumé businesses can open safely."""
    limit = settings.C2C_RESUME_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(too_big_message(upload.size, limit), code="too_big")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data:
        raise ValidationError(EMPTY, code="empty")
    if HEADER not in data[:HEADER_WINDOW]:
        raise ValidationError(NOT_A_PDF, code="not_a_pdf")
    if END_MARKER not in data:
        raise ValidationError(BROKEN, code="broken")
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(ENCRYPTED, code="encrypted")
        if len(reader.pages) == 0:
            raise ValidationError(NO_PAGES, code="no_pages")
        if _has_active_content(reader):
            raise ValidationError(ACTIVE, code="active_content")
    except ValidationError:
        raise
    except _TooComplex as error:
        raise ValidationError(TOO_COMPLEX, code="too_complex") from error
    except Exception as error:
        # pypdf raises many kinds of error on damaged or hostile files; if it can't read one, neither could a
        # business's reader be trusted to.
        raise ValidationError(BROKEN, code="broken") from error


def _has_active_content(reader: PdfReader) -> bool:
    """Walk every object: from the trailer, and every object the cross-reference tables list, reachable or not."""
    pending: list = [reader.trailer]
    pending += [
        IndirectObject(number, generation, reader) for generation, table in reader.xref.items() for number in table
    ]
    pending += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            reference = (item.idnum, item.generation)
            if reference in seen:
                continue
            seen.add(reference)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise _TooComplex
        if isinstance(item, DictionaryObject):  # Streams too: their dictionaries can hold /JS.
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    return True
                if key == "/S" and _is_active_action(value):
                    return True
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def _is_active_action(value) -> bool:
    action = value.get_object() if isinstance(value, IndirectObject) else value
    return isinstance(action, str) and action in ACTIVE_ACTIONS
