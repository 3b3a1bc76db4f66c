from django.http import FileResponse

# Even if a browser were talked into showing an upload as a page, it could run nothing and load nothing.
PRIVATE_FILE_CSP = "default-src 'none'; sandbox"


def private_file_response(handle, *, filename: str, content_type: str | None = None) -> FileResponse:
    """A résumé or hand-in file as a download, never shown as a page of this site, never cached on the way."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Security-Policy"] = PRIVATE_FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
