"""The desktop app: a Qt client of ``photosearch.core``.

Importing this package must stay cheap and must not import torch or open_clip (the
window shows first; the model loads in the background when first needed).
"""

from photosearch.gui.none_refcount import make_none_immortal

make_none_immortal()
