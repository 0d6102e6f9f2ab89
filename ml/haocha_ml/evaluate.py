"""Every figure issue 5 asks for, in one dict (`haocha ml evaluate --json`).

Each model is evaluated by its own module, from the public data, with the seed given here;
the throughput is measured on the shipped model file. The shape:

    {"fake": {"auc", "average_precision", …}, "op_spam": {"positive", "negative", "all", …},
     "rings": {"precision", "recall", "held_out_precision", "held_out_recall", …},
     "prepaid": {"f1_real", "f1_written", …}, "sentiment": {"chnsenticorp", "waimai", …},
     "fairness": {"short_text_fpr_ratio", …}, "throughput_reviews_per_s": …,
     "throughput": {…}, "seconds": {…}}
"""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from haocha_ml.throughput import measure_throughput


def _timed(seconds: dict[str, float], name: str, run: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = run()
    seconds[name] = round(time.perf_counter() - started, 1)
    return result


def evaluate_all(seed: int, *, model_path: Path) -> dict[str, Any]:
    """Run every evaluation (several minutes on two cores) and the throughput run."""
    # Imported here so that `haocha ml score` never loads the training code.
    from haocha_ml.fake import evaluate_fairness, evaluate_fake  # noqa: PLC0415
    from haocha_ml.opspam import evaluate_opspam  # noqa: PLC0415
    from haocha_ml.prepaid import evaluate_prepaid  # noqa: PLC0415
    from haocha_ml.rings_eval import evaluate_rings  # noqa: PLC0415
    from haocha_ml.sentiment import evaluate_sentiment  # noqa: PLC0415

    seconds: dict[str, float] = {}
    throughput = _timed(seconds, "throughput", lambda: measure_throughput(model_path))
    result: dict[str, Any] = {
        "fake": _timed(seconds, "fake", lambda: evaluate_fake(seed)),
        "op_spam": _timed(seconds, "op_spam", evaluate_opspam),
        "rings": _timed(seconds, "rings", lambda: evaluate_rings(seed)),
        "prepaid": _timed(seconds, "prepaid", lambda: evaluate_prepaid(seed)),
        "sentiment": _timed(seconds, "sentiment", lambda: evaluate_sentiment(seed)),
        "fairness": _timed(seconds, "fairness", lambda: evaluate_fairness(seed)),
        "throughput_reviews_per_s": throughput["reviews_per_s"],
        "throughput": throughput,
        "seed": seed,
        "seconds": seconds,
    }
    return result
