"""A task that kills the worker process running it, every time (loaded into the worker with --include)."""

import os
import signal

from c2c.celery import app


@app.task(bind=True, name="tests.faults.poison.kill_own_worker", max_retries=2, default_retry_delay=1)
def kill_own_worker(self, attempts_file):
    with open(attempts_file, "a") as attempts:
        attempts.write(f"attempt {self.request.retries + 1}\n")
    os.kill(os.getpid(), signal.SIGKILL)
