#!/usr/bin/env python3
"""List what `docker build .` would send as its context, and fail if it holds a secret, a database or uploads.

Applies .dockerignore as Docker does (patterns relative to the context root, `*` and `?` within one
path segment, `**` across segments, a pattern matching a directory also covers what is inside it,
`!` re-includes, the last matching line wins), without needing a Docker daemon.

    python3 .ci/docker_context.py          # summary; exit status 1 on a leak
    python3 .ci/docker_context.py --list   # every file in the context
"""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Paths that must never reach an image, whether or not they exist in this checkout.
MUST_STAY_OUT = [
    ".env",
    ".env.local",
    ".secret_key",
    "db.sqlite3",
    "db.sqlite3-journal",
    "private-media/resumes/1/0123456789abcdef.pdf",
    "private-media/submissions/1/report.pdf",
    "media/avatar.png",
    ".venv/bin/python",
    ".git/config",
    "staticfiles/css/site.css",
]
FORBIDDEN = re.compile(
    r"(^|/)(\.env[^/]*|\.secret_key|[^/]*\.sqlite3(-journal)?|\.git|\.venv|venv|private-media|media)(/|$)"
)


def read_patterns(path: Path) -> list[tuple[bool, re.Pattern]]:
    patterns = []
    for line in path.read_text().splitlines() if path.exists() else []:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        line = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        patterns.append((negated, re.compile(_regex(line))))
    return patterns


def _regex(pattern: str) -> str:
    out, index = "^", 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out += "(.*/)?"
            index += 3
            continue
        if pattern.startswith("**", index):
            out += ".*"
            index += 2
            continue
        if char == "*":
            out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "[":
            end = pattern.find("]", index)
            out += pattern[index : end + 1] if end > index else re.escape(char)
            index = end if end > index else index
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out += re.escape(pattern[index])
        else:
            out += re.escape(char)
        index += 1
    return out + "$"


def excluded(relative: str, patterns) -> bool:
    """Whether Docker leaves `relative` (a/b/c, from the context root) out of the context."""
    parts = relative.split("/")
    candidates = ["/".join(parts[: depth + 1]) for depth in range(len(parts))]
    result = False
    for negated, regex in patterns:
        if any(regex.match(candidate) for candidate in candidates):
            result = not negated
    return result


def context_files(root: Path = ROOT, patterns=None) -> list[str]:
    patterns = read_patterns(root / ".dockerignore") if patterns is None else patterns
    can_reinclude = any(negated for negated, _ in patterns)
    files = []
    for directory, subdirectories, names in os.walk(root):
        relative_dir = os.path.relpath(directory, root)
        prefix = "" if relative_dir == "." else relative_dir + "/"
        if not can_reinclude:
            subdirectories[:] = [name for name in subdirectories if not excluded(prefix + name, patterns)]
        files += [prefix + name for name in names if not excluded(prefix + name, patterns)]
    return sorted(files)


def leaks(root: Path = ROOT) -> list[str]:
    patterns = read_patterns(root / ".dockerignore")
    found = [path for path in MUST_STAY_OUT if not excluded(path, patterns)]
    found += [path for path in context_files(root, patterns) if FORBIDDEN.search(path)]
    return sorted(set(found))


def main(argv: list[str]) -> int:
    files = context_files()
    if "--list" in argv:
        print("\n".join(files))
    problems = leaks()
    if problems:
        print("The Docker build context would include:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    size = sum((ROOT / path).stat().st_size for path in files)
    print(f"Docker build context: {len(files)} files, {size / 1024:.0f} KiB; no secret, database or upload in it.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
