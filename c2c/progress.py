"""Progress bars for long commands and benchmarks: tqdm on a terminal, nothing in logs, pipes or CI."""

import sys

from tqdm import tqdm


def progress_bar(*, total: int, desc: str, unit: str, initial: int = 0, stream=None) -> tqdm:
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    on_terminal = callable(isatty) and isatty() is True
    return tqdm(
        total=total, initial=initial, desc=desc, unit=unit, file=stream, disable=not on_terminal, dynamic_ncols=True
    )
