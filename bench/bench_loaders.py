"""Print how long the source loaders take on generated large inputs (not a test).

Run: python bench/bench_loaders.py
"""

from __future__ import annotations

import random
import textwrap
import time

from postil.sources.load import load_bytes

WORDS = "the of evidence trial patients brain receptor outcome caveat mechanism study small sample".split()


def prose(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def make(kind: str, size: int) -> bytes:
    rng = random.Random(1)
    parts: list[str] = []
    total = 0
    while total < size:
        paragraph = prose(rng, rng.randint(40, 200))
        if kind == "wrapped":
            piece = textwrap.fill(paragraph, 72)
        elif kind == "markdown":
            piece = f"## Heading {total}\n\n{textwrap.fill(paragraph, 72)}\n\n- **item** one\n- item `two`"
        else:
            piece = paragraph
        parts.append(piece)
        total += len(piece) + 2
    return "\n\n".join(parts).encode()


def main() -> None:
    for kind, name in (("wrapped", "book.txt"), ("lines", "web.txt"), ("markdown", "notes.md")):
        data = make(kind, 10 * 1024 * 1024)
        start = time.perf_counter()
        loaded = load_bytes(data, name)
        took = time.perf_counter() - start
        print(f"{kind:9} {len(data) / 1e6:5.1f} MB  {len(loaded.document.blocks):7} blocks  {took:6.2f} s")


if __name__ == "__main__":
    main()
