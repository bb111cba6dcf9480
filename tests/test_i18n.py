"""The Russian interface: every user-visible string goes through Qt's translation system,
the .ts translations are complete, and the window under "ru" speaks Russian."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUI = ROOT / "photosearch" / "gui"
TS = ROOT / "resources" / "i18n"

# Calls whose string arguments the user reads.
SHOWN = {"setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "addAction",
         "addMenu", "QLabel", "QPushButton", "QAction", "QCheckBox", "QMenu", "QGroupBox",
         "QRadioButton", "setInformativeText", "information", "warning", "critical",
         "question", "showMessage", "addTab", "setStatusTip", "set_empty_text", "emit",
         "setTitle", "addItem", "QToolButton", "setWhatsThis", "insertTab", "setTabText"}
WRAPPERS = {"tr", "translate"}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _words(node: ast.expr) -> bool:
    """A literal (or f-string) with a word in it: text a user would read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = re.sub(r"<[^>]*>", "", node.value)     # markup such as <b> is no word
        return any(c.isalpha() for c in text) and text != "photosearch"
    if isinstance(node, ast.JoinedStr):
        return any(_words(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _words(node.left) or _words(node.right)
    if isinstance(node, ast.IfExp):
        return _words(node.body) or _words(node.orelse)
    return False


def untranslated() -> list[str]:
    found = []
    for path in sorted(GUI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _name(node.func) not in SHOWN:
                continue
            owner = node.func.value if isinstance(node.func, ast.Attribute) else None
            if isinstance(owner, ast.Name) and owner.id in ("log", "logging"):
                continue                     # the log file is not translated
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if _words(arg):
                    found.append(f"{path.name}:{arg.lineno}: {ast.unparse(arg)[:70]}")
    return found


def test_every_shown_string_goes_through_tr():
    assert untranslated() == []


def _messages(lang: str):
    root = ET.parse(TS / f"photosearch_{lang}.ts").getroot()
    for context in root.iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_translations_are_complete(lang):
    gaps = []
    for context, message in _messages(lang):
        tr = message.find("translation")
        kind = tr.get("type")
        if kind in ("obsolete", "vanished"):
            continue
        plural = message.get("numerus") == "yes"
        forms = [f.text for f in tr.iter("numerusform")] if plural else [tr.text]
        wanted = 3 if (plural and lang == "ru") else (2 if plural else 1)
        if lang == "en" and not plural:
            continue                     # English shows the source text
        if kind == "unfinished" or len(forms) != wanted or not all(forms):
            gaps.append(f"{context}: {message.findtext('source')}")
    assert gaps == []


@pytest.fixture
def russian(qapp):
    from photosearch.gui import i18n

    assert i18n.install("ru") == "ru"
    yield
    i18n.install("en")


def test_plural_forms_in_russian(russian):
    from photosearch.gui.folders_panel import FoldersPanel

    panel = FoldersPanel()
    words = [panel.tr("%Ln photos", "", n) for n in (1, 2, 5, 21, 11)]
    assert words == ["1 фотография", "2 фотографии", "5 фотографий", "21 фотография",
                     "11 фотографий"]


def test_english_plurals(qapp):
    from photosearch.gui import i18n
    from photosearch.gui.folders_panel import FoldersPanel

    i18n.install("en")
    panel = FoldersPanel()
    assert [panel.tr("%Ln photos", "", n) for n in (1, 2)] == ["1 photo", "2 photos"]


def test_window_speaks_russian(qtbot, russian, open_window, tmp_path):
    from photosearch.core.library import Library

    library = Library.open(tmp_path / "lib")
    folder = library.catalog.add_folder("/nowhere")
    for i in range(5):
        library.catalog.add_photo(folder.id, f"/nowhere/{i}.jpg", 1, 1.7e9 + i)
    window = open_window(library=library)
    try:
        assert window.folders.add_button.text() == "Добавить папку…"
        assert window.views.tabText(0) == "Фотографии"
        qtbot.waitUntil(lambda: "5 фотографий" in window.header.text(), timeout=120000)
        assert window.search_box.placeholderText().startswith("Опишите")
    finally:
        window.shutdown()
        library.close()


def test_translations_build_into_the_cache_on_a_fresh_checkout(tmp_path, monkeypatch):
    """No .qm beside the sources (a checkout run without the set-up): built on first use."""
    import shutil

    from photosearch.gui import i18n

    resources = tmp_path / "resources"
    shutil.copytree(ROOT / "resources" / "i18n", resources / "i18n",
                    ignore=shutil.ignore_patterns("*.qm"))
    monkeypatch.setenv("PHOTOSEARCH_RESOURCES", str(resources))
    qm = i18n.compiled("ru")
    assert qm is not None and qm.is_file() and qm.stat().st_size > 1000
    assert not (resources / "i18n" / "photosearch_ru.qm").exists()
