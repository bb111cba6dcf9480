"""Searching in the app: results that stop (and weaker ones on request), why a result
matched, the Date control, View ▸ Sort by, and the banner naming every missing file."""

from __future__ import annotations

import calendar
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from photosearch.core.errors import ModelUnavailable

WAIT = 180000   # a ceiling for a loaded machine; the waits end as soon as things hold
YEARS = (2019, 2020, 2021)


@pytest.fixture
def window(qtbot, open_window, siglip_encoder, make_photos, tmp_path):
    """The app (menus included) on 36 generated photos, one a class, indexed with the
    SigLIP fixture; photo i was taken in the middle of ``YEARS[i % 3]``."""
    folder = tmp_path / "photos"
    made = make_photos(per_class=1, seed=7, folder=folder)
    for i, (path, _, _) in enumerate(made):
        when = calendar.timegm((YEARS[i % 3], 6, 15, 12, 0, 0)) + i * 60
        os.utime(path, (when, when))
    win = open_window(encoder_factory=lambda progress: siglip_encoder)
    win.add_folders([str(folder)])

    def indexed() -> bool:
        counts = win.library.catalog.counts(siglip_encoder.key)
        return (win.indexer.idle and counts.total == len(made) and not counts.pending
                and not win.refresh_pending)

    qtbot.waitUntil(indexed, timeout=WAIT)
    return win


def search(qtbot, window, text: str) -> list:
    with qtbot.waitSignal(window.results_shown, timeout=WAIT) as shown:
        window.search_box.setText(text)
        window.run_query()
    return shown.args[0]


def names(hits) -> list[str]:
    return [Path(h.path).name for h in hits]


def test_results_stop_and_weaker_matches_show_dimmed(qtbot, window, monkeypatch):
    hits = search(qtbot, window, "a red circle")
    assert names(hits)[0].startswith("red_circle") and len(hits) <= 3
    assert "good match" in window.header.text() and "a red circle" in window.header.text()
    button = window.weaker_button
    assert button.isVisible() and "weaker" in button.text()
    assert "Match strength" in window.results.tooltip(0)
    good = window.results.rowCount()

    with qtbot.waitSignal(window.results_shown, timeout=WAIT):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    rows = window.results.rowCount()
    assert rows > good and not window.results.is_weaker(window.results.hit(0))
    assert window.results.is_weaker(window.results.hit(rows - 1))
    assert "a weaker match" in window.results.tooltip(rows - 1)
    assert "dimmed" in window.header.text() and button.text() == "Hide weaker matches"
    with qtbot.waitSignal(window.results_shown, timeout=WAIT):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.results.rowCount() == good

    # Nothing reaches the cut-off: the header says so and shows the closest few.
    import photosearch.core.relevance as relevance

    monkeypatch.setattr(relevance, "cutoff_for", lambda encoder: 1.01)
    hits = search(qtbot, window, "a blue star")
    assert window.header.text().startswith("No good matches for “a blue star”")
    assert 0 < len(hits) <= relevance.CLOSEST_WHEN_NONE and button.isVisible()


def test_a_result_says_which_of_its_tags_match_the_query(qtbot, window):
    from photosearch.core.tagging import store

    lib = window.library
    photo = next(p for p in lib.catalog.photos() if Path(p.path).name.startswith("red_circle"))
    store.add_manual(lib.catalog, photo.id, "beach")
    search(qtbot, window, "red circle on the beaches")
    row = window.results.row_of(photo.id)
    assert row is not None
    tip = window.results.tooltip(row)
    assert "Matching tags:" in tip and "beach" in tip.split("Matching tags:")[1]
    window.grid.setCurrentIndex(window.results.index(row))      # selected: the status bar
    assert "beach" in window.statusBar().currentMessage()
    # browsing explains nothing (there is no query)
    window.search_box.clear()
    window.clear_query()
    assert "Matching tags" not in (window.results.tooltip(0) or "")


def _sort_action(window, order: str):
    view = window.menuBar().findChild(QMenu, "viewMenu")
    actions = [a for m in view.findChildren(QMenu) for a in m.actions() if a.data() == order]
    return actions[0]


def test_sort_by_date_orders_results_and_browsing(qtbot, window):
    newest = _sort_action(window, "newest")
    assert newest.shortcut().toString() == "Ctrl+Shift+N"
    assert _sort_action(window, "relevance").isChecked()
    newest.trigger()
    assert window.library.settings.result_order == "newest"
    hits = search(qtbot, window, "a red square")
    dates = [h.date for h in hits]
    assert all(dates) and dates == sorted(dates, reverse=True)
    assert "newest first" in window.header.text()
    with qtbot.waitSignal(window.results_shown, timeout=WAIT) as shown:
        window.search.set_show_weaker(True)     # the weaker ones: sorted among themselves
    weaker = [h.date for h in shown.args[0] if window.results.is_weaker(h)]
    assert len(weaker) > 5 and weaker == sorted(weaker, reverse=True)
    assert shown.args[0][:len(hits)] == hits    # after the good ones

    window.search_box.clear()
    window.clear_query()
    _sort_action(window, "oldest").trigger()        # browsing: oldest first
    qtbot.waitUntil(lambda: window.results.timeline is not None
                    and window.results.timeline.oldest, timeout=WAIT)
    shown = [window.results.timeline.photo(r) for r in range(window.results.rowCount())]
    dates = [p.date for p in shown if p is not None]
    assert dates == sorted(dates) and dates[0].startswith("2019")
    assert "oldest first" in window.header.text()


def test_the_date_control_and_the_query_say_the_same(qtbot, window):
    control = window.date_filter
    with qtbot.waitSignal(window.results_shown, timeout=WAIT) as shown:
        window.search_box.setText("a red square")
        control.choose((("date", "2020"),))
    assert window.search_box.text() == "a red square date:2020"
    assert shown.args[0] and all(h.date.startswith("2020") for h in shown.args[0])

    window.search_box.setText("after:2021 before:2022")      # typed: the control follows
    assert control.periods == (("after", "2021"), ("before", "2022"))
    assert "from 2021" in control.text()
    with qtbot.waitSignal(window.results_shown, timeout=WAIT) as shown:
        control.actions_by_name["any"].trigger()
    assert window.search_box.text() == "" and window.results.timeline is not None
    assert control.text() == "Date: any time"

    from datetime import date

    from photosearch.gui.date_filter import range_periods

    assert range_periods(date(2020, 1, 1), date(2020, 12, 31)) == (
        ("after", "2020-01-01"), ("before", "2021-01-01"))


def test_the_banner_names_every_missing_file(qtbot):
    from photosearch.gui.banner import ModelBanner

    banner = ModelBanner()
    qtbot.addWidget(banner)
    repo = "https://huggingface.co/timm/ViT-B-32-SigLIP2-256/resolve/main/"
    files = [repo + n for n in ("open_clip_model.safetensors", "tokenizer.json",
                                "tokenizer_config.json")]
    banner.show_missing(ModelUnavailable("missing", needed=files[0], missing=tuple(files)),
                        can_download=False)
    assert banner.needed.text().splitlines() == files
    assert "3 of its files" in banner.message.text()


def test_the_date_control_month_and_range_pickers(qtbot, monkeypatch):
    from datetime import date, timedelta

    from PySide6.QtWidgets import QDialog

    from photosearch.gui.date_filter import DateFilter

    control = DateFilter()
    qtbot.addWidget(control)
    chosen: list[tuple] = []
    control.periods_chosen.connect(chosen.append)
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    today = date.today()
    control.actions_by_name["month"].trigger()          # the dialog opens on this month
    assert chosen[-1] == (("date", f"{today.year:04d}-{today.month:02d}"),)
    control.actions_by_name["range"].trigger()          # ... and on the last month's days
    (after, since), (before, until) = chosen[-1]
    assert (after, before) == ("after", "before")
    assert until == (today + timedelta(days=1)).isoformat() and since < today.isoformat()
    assert control.text() == f"Date: from {since}, before {until}"
    control.actions_by_name["this_year"].trigger()
    assert chosen[-1] == (("date", str(today.year)),)
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    control.actions_by_name["month"].trigger()          # cancelled: nothing chosen
    assert chosen[-1] == (("date", str(today.year)),) and len(chosen) == 3


def test_the_date_control_follows_the_interface_language(qtbot):
    from photosearch.gui import i18n
    from photosearch.gui.date_filter import DateFilter

    control = DateFilter()
    qtbot.addWidget(control)
    control.show_periods((("date", "2023"),))
    try:
        assert i18n.install("ru") == "ru"
        qtbot.waitUntil(lambda: control.text() == "Дата: 2023", timeout=WAIT)
    finally:
        i18n.install("en")
    qtbot.waitUntil(lambda: control.text() == "Date: 2023", timeout=WAIT)
