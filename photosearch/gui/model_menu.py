"""The Model menu, and the model choices the no-model banner offers.

Each preset's label says its languages, download size and relative cost (core/model.py),
so the choice is an informed one without reading documentation. Switching is cheap to
undo: every model keeps its own index, so going back costs nothing, and the photos are
embedded for the new model in the background while the model in use keeps answering
(``Indexer.switch_model``, ``core.model_switch``); the new one takes over once it has
embedded everything. Legacy presets are listed
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


def chosen(window: WindowHost) -> tuple[str, str | None]:
    """The model the user chose last: the one being switched to, else the one in use."""
    from photosearch.core import model_switch

    s = window.library.settings
    return model_switch.target(window.library) or (s.model, s.weights)


def use_preset(window: WindowHost, name: str) -> None:
    """Switch the library to preset ``name``: the model in use answers until the new one
    has embedded the library (``Indexer.switch_model``)."""
    if chosen(window) != (name, None):
        window.indexer.switch_model(name, None)


def use_weights(window: WindowHost, path: str) -> None:
    """Use a local checkpoint for the configured architecture, from now on."""
    model = chosen(window)[0]
    window.indexer.switch_model("default" if model.startswith("local-dir:") else model, path)


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
    window.indexer.switch_model(f"local-dir:{folder}", None)


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
        """The ticked preset (the one being switched to, else the one in use), and the
        labels in the interface's language (they are made from a template, so a language
        switch remakes them here)."""
        model, weights = chosen(window)
        for action in group.actions():
            action.setText(preset_label(PRESETS[action.data()]))
            action.setChecked(weights is None and action.data() == model)

    menu.aboutToShow.connect(show_current)
    show_current()
    return group
