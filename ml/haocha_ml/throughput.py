"""How many reviews a second the shipped scorer handles on one core.

`measure_throughput` runs `python -m haocha_ml.throughput` as a child process, because the
BLAS and OpenMP thread counts must be fixed before numpy is first imported and the pinning
to one core should not slow the rest of an evaluation. The child loads the model file, warms
it up on an unrelated text, and scores real reviews of mixed lengths with their metadata in
batches of `BATCH`.

Both clocks are reported: `reviews_per_s` divides by the process's CPU time, which is what
one core can do; `wall_reviews_per_s` divides by elapsed time, which on a shared machine
also counts the time other processes held the core.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# Set before anything imports numpy (this module is the child's entry point too).
SINGLE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
REVIEWS = 6000
BATCH = 500
WARM_UP_TEXT = "这是一条用来预热模型的文字，不参与计时。"


def throughput_reviews(count: int = REVIEWS) -> list[Any]:
    """Real reviews of mixed lengths with metadata: every dp_cdc review (long Dianping
    texts with level, dimensions, amount, photos, likes, reply and time), then short
    takeaway and mid-length hotel texts with the level their label implies, interleaved."""
    from haocha.ml.contract import ReviewInput  # noqa: PLC0415 - after the thread settings
    from haocha_ml import corpora  # noqa: PLC0415

    reviews: list[ReviewInput] = list(corpora.load_dp_cdc_reviews()[0])
    waimai, waimai_labels = corpora.load_waimai()
    hotel, hotel_labels = corpora.load_chnsenticorp()
    for i in range(max(count - len(reviews), 0)):
        texts, labels = (waimai, waimai_labels) if i % 2 == 0 else (hotel, hotel_labels)
        j = (i // 2) * 7 % len(texts)  # a spread-out, repeatable pick
        reviews.append(
            ReviewInput(text=texts[j], level=5 if labels[j] else 1, photos=i % 3, likes=i % 5)
        )
    return reviews[:count]


def _run(model_path: Path, count: int) -> dict[str, float]:
    import time  # noqa: PLC0415

    from haocha.ml.scorer import ReviewScorer  # noqa: PLC0415

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    scorer = ReviewScorer.from_file(model_path)
    reviews = throughput_reviews(count)
    scorer.score_many([type(reviews[0])(text=WARM_UP_TEXT)])  # first calls, not timed
    cpu, wall = time.process_time(), time.perf_counter()
    for start in range(0, len(reviews), BATCH):
        scorer.score_many(reviews[start : start + BATCH])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "reviews": len(reviews),
        "mean_chars": round(sum(len(r.text) for r in reviews) / len(reviews), 1),
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(wall, 3),
        "reviews_per_s": round(len(reviews) / cpu, 1),
        "wall_reviews_per_s": round(len(reviews) / wall, 1),
    }


def measure_throughput(model_path: Path, count: int = REVIEWS) -> dict[str, float]:
    """Run the measurement in a fresh single-threaded process pinned to one core."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
        [sys.executable, "-m", "haocha_ml.throughput", str(model_path), str(count)],
        env={**os.environ, **SINGLE_THREAD_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(completed.stdout)
    return result


if __name__ == "__main__":
    os.environ.update(SINGLE_THREAD_ENV)
    print(json.dumps(_run(Path(sys.argv[1]), int(sys.argv[2]))))
