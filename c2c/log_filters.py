import logging


class WithoutTemplateContext(logging.Filter):
    """Keep django.template's "Exception while resolving variable" notes, without the exception.

    The exception's text holds the whole template context: in emails and account pages that means
    confirmation and password-reset links, authenticator secrets and recovery codes.
    """

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True
