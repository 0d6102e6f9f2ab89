"""Text normalisation shared by the models, the ring detector and training.

A module-level function (not a lambda), so that fitted scikit-learn objects that use it can
be pickled into the model file and loaded by the service.

No word segmentation: jieba words were tried in every text model and added at most 0.2
points while costing more CPU than the whole scorer (ml/notes/*.md), so the models read
character n-grams only."""

import unicodedata


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), lower case, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())
