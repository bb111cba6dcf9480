"""The Qt-free core: catalog, scanning, decoding, model, index, search and pipeline.

The CLI, the GUI and the tests all drive this package; nothing here imports Qt.
"""
