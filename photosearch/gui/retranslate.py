"""Switching the interface language while the app runs (Preferences ▸ Language).

Qt's usual way is a ``retranslateUi()`` per widget that sets every text again. Our
widgets set their fixed texts once, through ``tr()``, where they are built; rather than
write each text a second time in such a method, the switch reads the translation
sources: every text in the ``.ts`` files (the English source and each translation) leads
back to its (context, source), so a text on screen that is one of them is translated
again into the language just installed. That covers the menus, labels, buttons, tabs,
placeholders, tooltips and window titles of every window.

Texts made from a template (a count, the results header, the status line, a preset's
label) are not in the sources as shown: their owners make them again
(``MainWindow.retranslate`` and the features listening to ``language_changed``).
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from photosearch.core import paths


@functools.cache
def catalogue() -> dict[str, tuple[str, str]]:
    """Each text of the translation sources -> its (context, source). Sources come
    first, so an English text never resolves through a translation that happens to
    equal it; plural forms are left out (they are always made from a count)."""
    sources: dict[str, tuple[str, str]] = {}
    translations: dict[str, tuple[str, str]] = {}
    for ts in sorted((paths.resources_dir() / "i18n").glob("*.ts")):
        try:
            root = ET.parse(ts).getroot()
        except (OSError, ET.ParseError):
            continue
        for context in root.iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                source = message.findtext("source")
                if not source or message.get("numerus") == "yes":
                    continue
                sources.setdefault(source, (name, source))
                translation = message.findtext("translation")
                if translation:
                    translations.setdefault(translation, (name, source))
    return {**translations, **sources}


def again(text: str) -> str:
    """``text`` in the installed language, if it is a text of the sources; else as is."""
    key = catalogue().get(text) if text else None
    return QCoreApplication.translate(*key) if key else text


def retranslate_widgets(roots: Iterable[QWidget]) -> None:
    """Translate again the fixed texts of ``roots`` and everything inside them."""
    for root in roots:
        for widget in (root, *root.findChildren(QWidget)):
            _widget(widget)
        for action in root.findChildren(QAction):
            action.setText(again(action.text()))
            if action.statusTip():
                action.setStatusTip(again(action.statusTip()))


def _widget(w: QWidget) -> None:
    if w.toolTip():
        w.setToolTip(again(w.toolTip()))
    if w.isWindow() and w.windowTitle():
        w.setWindowTitle(again(w.windowTitle()))
    if isinstance(w, QAbstractButton | QLabel):
        w.setText(again(w.text()))
    elif isinstance(w, QLineEdit | QPlainTextEdit):
        w.setPlaceholderText(again(w.placeholderText()))
    elif isinstance(w, QMenu):
        w.setTitle(again(w.title()))
    elif isinstance(w, QGroupBox):
        w.setTitle(again(w.title()))
    elif isinstance(w, QTabWidget):
        for i in range(w.count()):
            w.setTabText(i, again(w.tabText(i)))
    elif isinstance(w, QComboBox):
        for i in range(w.count()):
            w.setItemText(i, again(w.itemText(i)))
