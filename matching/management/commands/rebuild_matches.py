import gc
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from celery import group
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from matching import services
from matching.models import RebuildChunk

_process_context = None


def _run_in_process(chunk_id: int) -> bool:
    # One context per process: projects and students are loaded once, then reused by every chunk it runs.
    global _process_context
    if _process_context is None:
        _process_context = _loaded_context()
    return services.run_chunk(chunk_id, context=_process_context)


def _loaded_context():
    context = services.Context()
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

    def handle(self, *args, resume, chunk_size, jobs, on_workers, **options):
        started = time.monotonic()
        rebuild = services.unfinished_rebuild() if resume else None
        if resume and rebuild is None:
            raise CommandError("There is no unfinished rebuild to resume.")
        rebuild = rebuild or services.plan_rebuild(chunk_size=chunk_size)
        pending = list(rebuild.chunks.filter(done_at__isnull=True).order_by("side", "first_id"))
        total = rebuild.chunks.count()
        done = total - len(pending)
        self._progress(done, total, started)
        if on_workers:
            from matching.tasks import rebuild_chunk

            group(rebuild_chunk.s(chunk.pk) for chunk in pending).apply_async()
            while done < total:
                time.sleep(0.5)
                done = RebuildChunk.objects.filter(rebuild=rebuild, done_at__isnull=False).count()
                self._progress(done, total, started)
        elif jobs > 1:
            connections.close_all()  # children must open their own connections, not share ours
            with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
                for future in as_completed([pool.submit(_run_in_process, chunk.pk) for chunk in pending]):
                    done += future.result()
                    self._progress(done, total, started)
        else:
            context = _loaded_context()
            for chunk in pending:
                done += services.run_chunk(chunk.pk, context=context)
                self._progress(done, total, started)
        self.stderr.write("")
        left = rebuild.chunks.filter(done_at__isnull=True).count()
        if left:
            raise CommandError(
                f"{left} chunk(s) were being done by another run and aren't finished; "
                "run again with --resume once it ends."
            )
        services.finish_rebuild_if_done(rebuild.pk)
        services.tidy_tables()
        students, projects = services.list_sizes()
        self.stdout.write(
            f"Rebuilt matches in {time.monotonic() - started:.1f} s: {total} chunks, "
            f"{students:,} student recommendations, {projects:,} project recommendations."
        )

    def _progress(self, done: int, total: int, started: float) -> None:
        width = 30
        filled = width * done // total if total else width
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} chunks, {time.monotonic() - started:.1f} s",
            ending="",
        )
        self.stderr.flush()
