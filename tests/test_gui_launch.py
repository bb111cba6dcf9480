"""A query typed at launch comes first: the catch-up run over the library waits while
the model loads and its index opens, and it loads no image tower when nothing is new."""

from __future__ import annotations

WAIT = 120000   # a ceiling for a loaded machine; the waits end as soon as things hold


def test_a_query_typed_at_launch_is_answered_before_the_catch_up_run(
        qtbot, tmp_path, make_photos, model_source, encoder, monkeypatch):
    from photosearch.core.library import Library
    from photosearch.core.model import load_encoder
    from photosearch.core.pipeline import index_library
    from photosearch.gui.main_window import MainWindow

    folder = tmp_path / "photos"
    make_photos(per_class=1, seed=5, folder=folder)
    library = Library.open(tmp_path / "lib")
    library.add_folder(str(folder))
    index_library(library, encoder)
    library.close()

    library = Library.open(tmp_path / "lib")
    text_only = load_encoder(model_source, device="cpu", precision="fp32",
                             towers=("text",))
    window = MainWindow(library, encoder_factory=lambda progress: text_only, watch=False,
                        hooks=list)
    qtbot.addWidget(window)
    events: list[str] = []
    ix = window.indexer

    def noted(real):
        def start(req) -> None:
            events.append("run")
            real(req)
        return start

    for name in ("_start_scan", "_start_index"):
        monkeypatch.setattr(ix, name, noted(getattr(ix, name)))

    def shown(hits) -> None:
        if window.search.query is not None and window.search.query.kind == "text":
            events.append(f"answer {len(hits)}")

    window.results_shown.connect(shown)
    window.search_box.setText("a red circle")     # typed before the window is up
    window.run_query()
    window.show()
    qtbot.waitUntil(lambda: "run" in events and ix.idle and not ix.running, timeout=WAIT)
    assert events[0].startswith("answer") and events[0] != "answer 0", events
    assert events[1:] == ["run"]
    # the catch-up run found nothing new: it never loaded the image tower (torch weights)
    assert text_only.towers.loaded() == ("text",)
    window.shutdown()
    library.close()
