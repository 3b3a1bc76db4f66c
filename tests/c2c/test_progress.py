import io

from c2c.progress import progress_bar


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_bar_is_drawn_on_a_terminal():
    screen = Terminal()
    with progress_bar(total=4, desc="Rebuilding matches", unit="chunk", stream=screen) as bar:
        bar.update(4)
    assert "Rebuilding matches: 100%" in screen.getvalue()
    assert "4/4" in screen.getvalue()


def test_nothing_is_written_to_a_log_or_a_pipe():
    log = io.StringIO()
    with progress_bar(total=4, desc="Rebuilding matches", unit="chunk", stream=log) as bar:
        bar.update(4)
    assert log.getvalue() == ""
