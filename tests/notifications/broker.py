from contextlib import contextmanager

from c2c.celery import app as celery_app

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _use_broker(url: str, *, eager: bool) -> None:
    celery_app.conf.task_always_eager = eager
    celery_app.conf.broker_url = url
    celery_app.close()  # drop pooled connections so the new URL is used
    # close() keeps the producer pool bound to the old broker; later tests with a real worker would publish there.
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_down():
    """Tasks are really published (not run eagerly) to a broker that refuses connections."""
    original = celery_app.conf.broker_url
    _use_broker(DEAD_BROKER, eager=False)
    try:
        yield
    finally:
        _use_broker(original, eager=True)
