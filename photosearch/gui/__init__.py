"""The desktop app: a Qt client of ``photosearch.core``.

Importing this package must stay cheap and must not import torch or open_clip (the
window shows first; the model loads in the background when first needed).
"""
