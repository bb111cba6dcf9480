"""Teaching the library your own words, and browsing it by theme, from stored vectors.

``learners`` (prototype, linear probe, triplet-trained metric) → ``store`` (learned
tags, their examples and models; their photos are ``photo_tags`` rows like any tag's)
← ``teach`` (learn, relearn, review, the indexing hook); ``feedback`` moves a query
towards marked photos; ``themes`` clusters the library. No pass over image files: all of
it reads the vectors indexing stored.
"""
