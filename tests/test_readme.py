"""The README's `ietfkg query` examples run and return rows on the real snapshot."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"


def _query_examples() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text("utf-8"), flags=re.DOTALL)
    commands = []
    for block in blocks:
        for command in re.split(r"\n(?=\.venv/bin/ietfkg )", block.strip()):
            words = shlex.split(command, comments=True)
            if words[:2] == [".venv/bin/ietfkg", "query"] and not any(w.startswith("@") for w in words):
                commands.append(words[2:])
    return commands


EXAMPLES = _query_examples()


def test_readme_has_query_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("args", EXAMPLES, ids=lambda a: a[-1].split()[0][:40])
def test_readme_query_runs(cli, args: list[str]) -> None:
    result = cli("query", *args)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) >= 2 or "@prefix" in result.stdout or "<" in result.stdout
