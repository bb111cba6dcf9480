"""The Model menu: which model embeds and searches the library, chosen in the app.

Russian queries need the multilingual preset, so choosing it must not require editing a
settings file. Switching is cheap to undo: every model keeps its own index, so going back
costs nothing, and the photos are embedded for the new model in the background.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup

from photosearch.core.model import PRESETS


def use_preset(window, name: str) -> None:
    """Switch the library to preset ``name``, load it, and embed what it lacks."""
    settings = window.library.settings
    if settings.model == name and settings.weights is None:
        return
    settings.model, settings.weights = name, None
    window.library.save_settings()
    window.indexer.retry_model()
    window.indexer.request(rescan=False)    # the new model has no vectors yet


def install(window) -> QActionGroup:
    """Add the menu to the window's menu bar; returns the presets' exclusive group."""
    menu = window.menuBar().addMenu("&Model")
    group = QActionGroup(window)
    group.setExclusive(True)
    for preset in PRESETS.values():
        action = QAction(preset.label, window, checkable=True)
        action.setData(preset.name)
        action.triggered.connect(lambda _=False, n=preset.name: use_preset(window, n))
        group.addAction(action)
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction("Choose weights file…", window._choose_weights)

    def show_current() -> None:
        s = window.library.settings
        for action in group.actions():
            action.setChecked(s.weights is None and action.data() == s.model)

    menu.aboutToShow.connect(show_current)
    show_current()
    return group
