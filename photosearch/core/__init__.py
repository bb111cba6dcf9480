"""The Qt-free core: catalog, scanning, decoding, model, index, search and pipeline.

The CLI, the GUI and the tests all drive this package; nothing here imports Qt.
"""

from photosearch.core.torch_runtime import keep_triton_out

keep_triton_out()   # before anything here imports torch: see torch_runtime
