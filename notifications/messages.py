"""The words of each notification, kept with notifications' templates rather than in the services that send them.

templates/notifications/messages/<name>.txt holds one message: its first line is the title, the rest the body.
"""

from django.template.loader import render_to_string


def render_message(message: str, /, **context) -> dict[str, str]:
    """{"title": …, "body": …} for `notify(…, **render_message(name, …))`."""
    text = render_to_string(f"notifications/messages/{message}.txt", context).strip()
    title, _, body = text.partition("\n")
    return {"title": title.strip(), "body": body.strip()}
