"""students.validators.validate_resume on its own: what counts as active content, and what doesn't."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from students import validators
from students.validators import validate_resume
from tests.students.factories import pdf_bytes


def refusal(content: bytes) -> str | None:
    try:
        validate_resume(SimpleUploadedFile("resume.pdf", content))
    except ValidationError as error:
        return error.code
    return None


def action(kind: str, **entries) -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject(kind)}
        | {NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()}
    )


def javascript_in_the_names_tree(writer):
    names = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hi"), action("/JavaScript", JS="1")])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): names})


def launch_when_the_page_opens(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action("/Launch", F="calc.exe")})


def an_attached_file(writer):
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")


def script_nothing_points_to(writer):
    # Listed in the cross-reference table but reachable from nothing: still refused.
    writer._add_object(action("/JavaScript", JS="app.alert(1)"))


def a_link_to_linkedin(writer):
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://www.linkedin.com/in/ana-lopez"))


def open_at_the_first_page(writer):
    page = writer.pages[0].indirect_reference
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([page, NameObject("/Fit")])


@pytest.mark.parametrize(
    "change",
    [javascript_in_the_names_tree, launch_when_the_page_opens, an_attached_file, script_nothing_points_to],
)
def test_active_content_anywhere_is_refused(change):
    assert refusal(pdf_bytes(change=change)) == "active_content"


def test_a_name_spelled_with_hex_escapes_is_still_recognised():
    def open_action(writer):
        writer._root_object[NameObject("/OpenAction")] = action("/Jx61vaScript", Jx53="app.alert(1)")

    # Same length as the escaped spelling, so the cross-reference offsets stay right.
    content = pdf_bytes(change=open_action).replace(b"/Jx61vaScript", b"/J#61vaScript").replace(b"/Jx53", b"/J#53")

    assert refusal(content) == "active_content"


@pytest.mark.parametrize("change", [a_link_to_linkedin, open_at_the_first_page])
def test_links_and_opening_at_a_page_are_fine(change):
    assert refusal(pdf_bytes(change=change)) is None


def test_several_pages_are_fine():
    assert refusal(pdf_bytes(pages=3)) is None


def test_a_file_cut_off_before_its_end_marker_is_refused():
    content = pdf_bytes()
    assert refusal(content[: content.rindex(b"%%EOF")]) == "broken"


def test_the_walk_is_bounded(monkeypatch):
    monkeypatch.setattr(validators, "MAX_OBJECTS", 3)
    assert refusal(pdf_bytes(pages=5)) == "too_complex"
