"""Reference data: the vocabulary, the catalog, administrative units, problems, text, translations."""
