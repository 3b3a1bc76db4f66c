import gc
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from celery import group
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from c2c.progress import progress_bar
from matching import lists, storage
from matching import rebuild as full_rebuild
from matching.models import RebuildChunk

_process_context = None


def _run_in_process(chunk_id: int) -> bool:
    # One context per process: projects and students are loaded once, then reused by every chunk it runs.
    global _process_context
    if _process_context is None:
        _process_context = _loaded_context()
    return full_rebuild.run_chunk(chunk_id, context=_process_context)


def _loaded_context():
    context = lists.Context()
    context.projects(), context.students()
    # The pools live as long as the process: keep the cycle collector from rescanning them.
    gc.freeze()
    return context


class Command(BaseCommand):
    help = (
        "Recompute every student's and every project's stored matches, in chunks. Safe while the site is "
        "live (a chunk never overwrites a fresher refresh) and resumable with --resume after an interruption."
    )

    def add_arguments(self, parser):
        parser.add_argument("--resume", action="store_true", help="Finish the latest unfinished rebuild.")
        parser.add_argument("--chunk-size", type=int, help="Students or projects per chunk.")
        parser.add_argument("--jobs", type=int, default=1, help="Run chunks in this many local processes.")
        parser.add_argument(
            "--on-workers", action="store_true", help="Send the chunks to the Celery workers and follow them."
        )
        parser.add_argument(
            "--give-up-after",
            type=float,
            default=600,
            metavar="SECONDS",
            help="With --on-workers: stop waiting when no chunk has finished for this long (default 600).",
        )

    def handle(self, *args, resume, chunk_size, jobs, on_workers, give_up_after, **options):
        started = time.monotonic()
        rebuild = full_rebuild.unfinished_rebuild() if resume else None
        if resume and rebuild is None:
            raise CommandError("There is no unfinished rebuild to resume.")
        rebuild = rebuild or full_rebuild.plan_rebuild(chunk_size=chunk_size)
        pending = list(rebuild.chunks.filter(done_at__isnull=True).order_by("side", "first_id"))
        total = rebuild.chunks.count()
        done = total - len(pending)
        with progress_bar(
            total=total, initial=done, desc="Rebuilding matches", unit="chunk", stream=self.stderr._out
        ) as bar:
            if on_workers:
                self._follow_workers(rebuild, pending, done, total, bar, give_up_after)
            elif jobs > 1:
                connections.close_all()  # children must open their own connections, not share ours
                with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
                    for future in as_completed([pool.submit(_run_in_process, chunk.pk) for chunk in pending]):
                        bar.update(future.result())
            else:
                context = _loaded_context()
                for chunk in pending:
                    bar.update(full_rebuild.run_chunk(chunk.pk, context=context))
        left = rebuild.chunks.filter(done_at__isnull=True).count()
        if left:
            raise CommandError(
                f"{left} chunk(s) were being done by another run and aren't finished; "
                "run again with --resume once it ends."
            )
        full_rebuild.finish_rebuild_if_done(rebuild.pk)
        storage.tidy_tables()
        students, projects = storage.list_sizes()
        self.stdout.write(
            f"Rebuilt matches in {time.monotonic() - started:.1f} s: {total} chunks, "
            f"{students:,} student recommendations, {projects:,} project recommendations."
        )

    def _follow_workers(self, rebuild, pending, done: int, total: int, bar, give_up_after: float) -> None:
        from matching.tasks import rebuild_chunk

        try:
            group(rebuild_chunk.s(chunk.pk) for chunk in pending).apply_async()
        except Exception as error:
            raise CommandError(
                f"Couldn't reach the task queue to send the chunks ({error}). Nothing was lost: run it again "
                "with --resume once /healthz shows the broker is up, or leave out --on-workers to run it here."
            ) from error
        last_progress = time.monotonic()
        while done < total:
            time.sleep(0.5)
            now_done = RebuildChunk.objects.filter(rebuild=rebuild, done_at__isnull=False).count()
            if now_done > done:
                bar.update(now_done - done)
                done, last_progress = now_done, time.monotonic()
            elif time.monotonic() - last_progress > give_up_after:
                raise CommandError(
                    f"No chunk finished in {give_up_after:.0f} s ({done} of {total} done). Is a worker consuming "
                    "the matching queue (celery -A c2c worker -Q matching)? Finished chunks are kept: run again "
                    "with --resume, on the workers or here."
                )
