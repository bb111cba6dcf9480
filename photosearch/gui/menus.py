"""The File, View and Help menus, with their keyboard shortcuts.

File: add a folder, Preferences, quit. View: hide duplicates (the same switch as the
toolbar's), near-duplicates too, the thumbnail size (remembered per user in QSettings,
like the window's geometry: the core never reads it); Sort by relevance, newest or oldest
first (``install_sort``, kept in the library's settings). Help: About (version, model,
where the library lives, licences). The Model menu is ``model_menu``'s. Each group of
View items is installed by a function of its own.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog, QMenu, QMessageBox

from photosearch import __version__
from photosearch.core.changes import Changes
from photosearch.gui.host import WindowHost

translate = QCoreApplication.translate   # lupdate finds translate("Context", …)
VIEW_MENU = "viewMenu"


def install_file_view(window: WindowHost) -> dict[str, QAction]:
    """File and View; returns the actions by name (tests and the About box use them)."""
    from photosearch.gui.preferences import show_preferences

    bar = window.menuBar()
    file = bar.addMenu(translate("Menus", "&File"))
    actions = {
        "add": file.addAction(translate("Menus", "&Add folder…"),
                              QKeySequence.StandardKey.Open, lambda: choose_folder(window)),
        "preferences": file.addAction(translate("Menus", "&Preferences…"),
                                      QKeySequence("Ctrl+,"), lambda: show_preferences(window)),
    }
    file.addSeparator()
    actions["quit"] = file.addAction(translate("Menus", "&Quit"), QKeySequence("Ctrl+Q"),
                                     QApplication.closeAllWindows)
    view = bar.addMenu(translate("Menus", "&View"))
    view.setObjectName(VIEW_MENU)
    hide = view.addAction(translate("Menus", "&Hide duplicates"))
    hide.setCheckable(True)
    hide.setShortcut(QKeySequence("Ctrl+D"))
    hide.setChecked(window.library.settings.hide_duplicates)
    hide.toggled.connect(lambda on: _hide_duplicates(window, on))
    view.aboutToShow.connect(lambda: hide.setChecked(window.library.settings.hide_duplicates))
    actions["hide_duplicates"] = hide
    near = view.addAction(translate("Menus", "Hide &near-duplicates too"))
    near.setCheckable(True)
    near.setChecked(window.library.settings.hide_near_duplicates)
    near.toggled.connect(lambda on: _hide_near_duplicates(window, on))
    view.aboutToShow.connect(
        lambda: near.setChecked(window.library.settings.hide_near_duplicates))
    actions["hide_near_duplicates"] = near
    actions.update(install_thumbnail_sizes(window, view))
    return actions


THUMB_KEY = "view/thumbnail_size"


def install_thumbnail_sizes(window: WindowHost, view: QMenu) -> dict[str, QAction]:
    """View ▸ Thumbnail size (small, medium, large) and Ctrl+= / Ctrl+- to step through
    them; the choice is remembered and applied at once."""
    from photosearch.gui.results_grid import THUMB_SIZES

    names = list(THUMB_SIZES)
    texts = {"small": translate("Menus", "&Small"), "medium": translate("Menus", "&Medium"),
             "large": translate("Menus", "&Large")}
    view.addSeparator()
    sizes = view.addMenu(translate("Menus", "&Thumbnail size"))
    group = QActionGroup(sizes)
    actions: dict[str, QAction] = {}
    for name in names:
        action = sizes.addAction(texts[name])
        action.setCheckable(True)
        action.setData(name)
        action.triggered.connect(lambda _=False, n=name: set_thumbnail_size(window, n))
        group.addAction(action)
        actions[f"thumbs_{name}"] = action

    def step(by: int) -> None:
        now = names.index(thumbnail_size())
        set_thumbnail_size(window, names[max(0, min(len(names) - 1, now + by))])

    larger = view.addAction(translate("Menus", "&Larger thumbnails"), lambda: step(1))
    larger.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
    smaller = view.addAction(translate("Menus", "S&maller thumbnails"), lambda: step(-1))
    smaller.setShortcut(QKeySequence("Ctrl+-"))
    actions.update(thumbs_larger=larger, thumbs_smaller=smaller)
    view.aboutToShow.connect(lambda: actions[f"thumbs_{thumbnail_size()}"].setChecked(True))
    set_thumbnail_size(window, thumbnail_size())
    return actions


def thumbnail_size() -> str:
    """The remembered size's name ("medium" when none or an unknown one is stored)."""
    from photosearch.gui.results_grid import THUMB_SIZES

    name = QSettings("photosearch", "photosearch").value(THUMB_KEY, "medium")
    return name if name in THUMB_SIZES else "medium"


def set_thumbnail_size(window: WindowHost, name: str) -> None:
    from photosearch.gui.results_grid import THUMB_SIZES

    settings = QSettings("photosearch", "photosearch")
    settings.setValue(THUMB_KEY, name)
    window.grid.set_thumb_size(THUMB_SIZES[name])


def install_sort(window: WindowHost) -> QActionGroup:
    """View ▸ Sort by: relevance, newest first, oldest first (search results and browsing;
    kept in the library's settings). Returns the exclusive group, actions' data the order."""
    view = window.menuBar().findChild(QMenu, VIEW_MENU)
    if view is None:
        view = window.menuBar().addMenu(translate("Menus", "&View"))
        view.setObjectName(VIEW_MENU)
    view.addSeparator()
    sort = view.addMenu(translate("Menus", "&Sort by"))
    group = QActionGroup(sort)
    group.setExclusive(True)
    for order, text, keys in (
            ("relevance", translate("Menus", "&Relevance"), "Ctrl+Shift+R"),
            ("newest", translate("Menus", "&Newest first"), "Ctrl+Shift+N"),
            ("oldest", translate("Menus", "&Oldest first"), "Ctrl+Shift+O")):
        action = sort.addAction(text)
        action.setCheckable(True)
        action.setData(order)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False, o=order: window.set_result_order(o))
        group.addAction(action)

    def show_current() -> None:
        for action in group.actions():
            action.setChecked(action.data() == window.library.settings.result_order)

    view.aboutToShow.connect(show_current)
    show_current()
    return group


def install_help(window: WindowHost) -> QAction:
    menu = window.menuBar().addMenu(translate("Menus", "&Help"))
    return menu.addAction(translate("Menus", "&About photosearch"),
                          QKeySequence.StandardKey.HelpContents, lambda: about(window))


def choose_folder(window: WindowHost) -> None:
    path = QFileDialog.getExistingDirectory(window,
                                            translate("Menus", "Add a folder of photos"))
    if path:
        window.add_folders([path])


def _hide_duplicates(window: WindowHost, on: bool) -> None:
    """The toolbar's switch is the one that acts: the menu item flips it."""
    toggle = window.findChild(QCheckBox, "hideDuplicates")
    if toggle is not None:
        toggle.setChecked(on)
    elif window.library.settings.hide_duplicates != on:
        window.library.update_settings(hide_duplicates=on)


def _hide_near_duplicates(window: WindowHost, on: bool) -> None:
    """Other shots of a scene hide too only when asked: the collapse reloads with them."""
    if window.library.settings.hide_near_duplicates != on:
        window.library.update_settings(hide_near_duplicates=on)
        window.notify(Changes(duplicates=True))


def about_text(window: WindowHost) -> str:
    ix = window.indexer
    model = (ix.model_message if ix.state == "ready"
             else translate("Menus", "not loaded ({model})").format(
                 model=window.library.settings.model))
    return translate(
        "Menus",
        "<h3>photosearch {version}</h3>"
        "<p>Find photos on your computer by describing them. Everything stays on this "
        "computer.</p>"
        "<p><b>Model:</b> {model}<br><b>Library:</b> {library}</p>"
        "<p><b>Licences:</b> photosearch — MIT. The tag vocabulary is derived from the "
        "Recognize Anything tag list — Apache-2.0. The OpenCLIP code — MIT; model weights "
        "are under their authors' licences (the LAION CLIP models: MIT), see each model's "
        "page on Hugging Face.</p>").format(
        version=__version__, model=escape(model), library=escape(str(window.library.root)))


def about(window: WindowHost) -> None:
    QMessageBox.about(window, translate("Menus", "About photosearch"),  # type: ignore[arg-type]
                      about_text(window))

