"""The shipped reference data (catalog, departments, administrative units, translations, the
method text). Installed as the package data `sca_metrics.data`; see sca_metrics/settings.py."""
