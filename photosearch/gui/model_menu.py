"""The Model menu, and the model choices the no-model banner offers.

Each preset's label says its languages, download size and relative cost (core/model.py),
so the choice is an informed one without reading documentation. Switching is cheap to
undo: every model keeps its own index, so going back costs nothing, and the photos are
embedded for the new model in the background. Every choice is saved through
``Library.update_settings`` and then the model is loaded again. Legacy presets are listed
only for a library that uses one.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QFileDialog

from photosearch.core.presets import PRESETS
from photosearch.gui.host import WindowHost
from photosearch.gui.status_text import preset_label

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)


def use_preset(window: WindowHost, name: str) -> None:
    """Switch the library to preset ``name``, load it, and embed what it lacks."""
    settings = window.library.settings
    if settings.model == name and settings.weights is None:
        return
    window.library.update_settings(model=name, weights=None)
    window.indexer.retry_model()
    window.indexer.request(rescan=False)    # the new model has no vectors yet


def use_weights(window: WindowHost, path: str) -> None:
    """Use a local checkpoint for the configured architecture, from now on."""
    model = window.library.settings.model
    window.library.update_settings(
        model="default" if model.startswith("local-dir:") else model, weights=path)
    window.indexer.retry_model()
    window.indexer.request(rescan=False)    # the new model has no vectors yet


def choose_weights(window: WindowHost) -> None:
    """Ask for a weights file (the menu's and the banner's "Choose weights file…")."""
    path, _ = QFileDialog.getOpenFileName(
        window, translate("ModelMenu", "Choose the model's weights file"),
        "", translate(
            "ModelMenu", "Model weights (*.safetensors *.bin *.pt *.pth);;All files (*)"))
    if path:
        use_weights(window, path)


def use_folder(window: WindowHost, folder: str) -> None:
    """Use a model folder (``open_clip_config.json`` with its weights) from now on."""
    window.library.update_settings(model=f"local-dir:{folder}", weights=None)
    window.indexer.retry_model()
    window.indexer.request(rescan=False)    # the new model has no vectors yet


def choose_folder(window: WindowHost) -> None:
    """Ask for a model folder (the menu's and the banner's "Choose model folder…")."""
    folder = QFileDialog.getExistingDirectory(
        window, translate("ModelMenu", "Choose a model folder "
                                           "(open_clip_config.json and weights)"))
    if folder:
        use_folder(window, folder)


def allow_download(window: WindowHost) -> None:
    """The banner's "Download": allowed from now on, and tried at once."""
    window.library.update_settings(allow_download=True)
    window.indexer.retry_model()


def install(window: WindowHost) -> QActionGroup:
    """Add the menu to the window's menu bar; returns the presets' exclusive group."""
    menu = window.menuBar().addMenu(translate("ModelMenu", "&Model"))
    group = QActionGroup(window)
    group.setExclusive(True)
    for preset in PRESETS.values():
        if preset.hidden and window.library.settings.model != preset.name:
            continue
        action = QAction(preset_label(preset), window, checkable=True)
        action.setData(preset.name)
        action.triggered.connect(lambda _=False, n=preset.name: use_preset(window, n))
        group.addAction(action)
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(translate("ModelMenu", "Choose weights file…"),
                   lambda: choose_weights(window))
    menu.addAction(translate("ModelMenu", "Choose model folder…"),
                   lambda: choose_folder(window))

    def show_current() -> None:
        """The ticked preset, and the labels in the interface's language (they are made
        from a template, so a language switch remakes them here)."""
        s = window.library.settings
        for action in group.actions():
            action.setText(preset_label(PRESETS[action.data()]))
            action.setChecked(s.weights is None and action.data() == s.model)

    menu.aboutToShow.connect(show_current)
    show_current()
    return group
