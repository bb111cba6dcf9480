"""Automatic keyword tags: zero-shot from stored vectors, in English and Russian.

``vocab`` (words and labels) → ``embed`` (prompt-ensembled text vectors, cached per
model) → ``select`` (calibrated choice per photo) → ``store`` (the catalog's
``photo_tags``) ← ``tagger`` (a batch while indexing, or the whole library); ``xmp``
exports them to sidecars. ``photosearch.core.query`` turns ``tag:`` into search filters.
"""
