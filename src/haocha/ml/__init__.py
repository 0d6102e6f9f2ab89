"""The platform's side of the ML module: the one small interface the service calls
(`scorer.py`), and the jobs that run it on new reviews and changed providers. Training and
evaluation live in the top-level `ml/` folder (package `haocha_ml`)."""
