"""Training and evaluation of Haocha's models (fake reviews, sentiment, prepaid-card
complaints, review rings). The service never imports this package; it loads the model file
written here through `haocha.ml.scorer`."""
