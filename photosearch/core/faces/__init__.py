"""People: faces found in photos, grouped into persons the user can name.

``detect`` finds faces and their vectors (dlib), ``store`` keeps them in the catalog,
``grouping`` places new faces into persons, ``hook`` runs it all as its own pass after
each indexing run (so search never waits for faces), and ``xmp`` writes names and face
regions to sidecars.
"""
