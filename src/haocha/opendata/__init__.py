"""The open-data feed (/open/v1): aggregate scores per provider and per sector × district ×
month, and sanctions, as paged JSON, CSV and NDJSON with a Frictionless data package.

Private by construction: every query here selects named aggregate columns, never a review's
text, a resident or a hash, and small cells are suppressed before anything is written."""
