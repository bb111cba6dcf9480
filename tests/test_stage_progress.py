"""A first run's one-off stages each report progress with a total (loading the model,
embedding the tag vocabulary, exporting the text side), and the command line tells them
in plain lines where stderr is not a terminal."""

from __future__ import annotations

import copy
import io
import threading
from dataclasses import replace

import pytest
from conftest import FIXTURE_MODEL
from tag_helpers import write_vocab

from photosearch.core.model import load_encoder, resolve_source
from photosearch.core.progress import Cancelled, Progress
from photosearch.core.tagging import embed
from photosearch.core.tagging.vocab import load_vocabulary


@pytest.fixture
def resources(tmp_path, monkeypatch):
    folder = write_vocab(tmp_path / "resources")
    monkeypatch.setenv("PHOTOSEARCH_RESOURCES", str(folder))
    return folder


@pytest.fixture
def bilingual(encoder):
    """The fixture model as the multilingual default preset: English and Russian prompts."""
    enc = copy.copy(encoder)
    enc.source = replace(encoder.source, preset=resolve_source("default").preset)
    assert embed.multilingual(enc)
    return enc


def test_vocabulary_is_one_stage_over_both_languages_with_rate_and_time_left(
        bilingual, resources, tmp_path, monkeypatch):
    monkeypatch.setattr(embed, "PROGRESS_WORDS", 4)
    vocab = load_vocabulary([])
    labelled = sum(1 for t in vocab.terms if t.ru)
    reports: list[Progress] = []
    embed.vocabulary_vectors(bilingual, vocab, tmp_path / "cache", progress=reports.append)
    total = len(vocab.tags) + labelled
    assert {p.phase for p in reports} == {"embedding tag words"}
    assert {p.total for p in reports} == {total}      # one total, English and Russian
    done = [p.done for p in reports]
    assert done[0] == 0 and done[-1] == total
    steps = [b - a for a, b in zip(done, done[1:], strict=False)]
    assert all(0 < s <= 4 for s in steps)             # a report every few words
    assert any(p.rate and p.eta is not None for p in reports[1:-1])
    assert reports[-1].eta == 0
    again: list[Progress] = []                        # all cached: nothing to report
    embed.vocabulary_vectors(bilingual, vocab, tmp_path / "cache", progress=again.append)
    assert again == []


def test_a_cancelled_vocabulary_keeps_the_words_it_embedded(encoder, resources, tmp_path,
                                                            monkeypatch):
    monkeypatch.setattr(embed, "PROGRESS_WORDS", 4)
    vocab = load_vocabulary([])
    cancel = threading.Event()

    def progress(p: Progress) -> None:
        if p.done >= 8:
            cancel.set()

    with pytest.raises(Cancelled):
        embed.vocabulary_vectors(encoder, vocab, tmp_path / "c", progress=progress,
                                 cancel=cancel)
    left = embed.missing_vocabulary(encoder, vocab, tmp_path / "c")
    assert left == len(vocab.tags) - 8                # saved although short of SAVE_WORDS


def test_loading_the_model_reports_its_start_and_end(model_source):
    reports: list[Progress] = []
    load_encoder(model_source, towers=("text",), progress=reports.append)
    assert [(p.phase, p.done, p.total) for p in reports] == [
        ("loading model", 0, 1), ("loading model", 1, 1)]


def test_text_export_reports_its_steps(encoder, monkeypatch):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from photosearch.core import text_onnx

    monkeypatch.delenv("PHOTOSEARCH_NO_ONNX")
    monkeypatch.setattr(text_onnx, "_failed", set())
    enc = load_encoder(encoder.source, device="cpu", precision="fp32", towers=("text",))
    reports: list[Progress] = []
    assert text_onnx.ensure_exported(enc, reports.append)
    assert [(p.phase, p.done, p.total) for p in reports] == [
        (text_onnx.PHASE, n, text_onnx.STEPS) for n in range(text_onnx.STEPS + 1)]


# -- the command line ---------------------------------------------------------------------
def test_stage_lines_where_stderr_is_not_a_terminal(monkeypatch):
    from photosearch.cli import progress as cli_progress

    clock = iter([0.0, 1.0, 2.0, 15.0, 16.0, 17.0, 20.0, 95.0, 96.0])
    monkeypatch.setattr(cli_progress.time, "monotonic", lambda: next(clock))
    out = io.StringIO()
    bar = cli_progress.ProgressBar(enabled=True, stream=out, tty=False)
    phase = "embedding tag words"
    bar(Progress(phase, 0, 2980))                     # 0 s: the stage starts
    bar(Progress(phase, 32, 2980, 3.2, 921.0))        # 1 s: too soon for a line
    bar(Progress(phase, 64, 2980, 3.14, 900.0))       # 2 s: too soon
    bar(Progress(phase, 96, 2980, 3.1, 899.0))        # 15 s: a line
    bar(Progress(phase, 2980, 2980))                  # 16 s: the stage ends
    bar(Progress("faces", 0, 3))                      # 17 s: the next one starts
    bar(Progress("faces", 2, 3, 0.5, 2.0))            # 20 s: held back
    bar.close()                                       # 95 s: said as it stood
    assert out.getvalue().splitlines() == [
        "Embedding tag words: 0 / 2,980 words",
        "Embedding tag words: 96 / 2,980 words (3%) · 3.1 words/s · 14 min 59 s left",
        "Embedding tag words: 2,980 / 2,980 words, done in 16 s",
        "Faces: 0 / 3 photos",
        "Faces: 2 / 3 photos (67%), done in 1 min 18 s",
    ]


def test_index_command_tells_each_stage_in_lines_when_not_on_a_terminal(
        capsys, resources, make_photos, tmp_path):
    from photosearch.cli.main import main

    photos = tmp_path / "p"
    make_photos(per_class=1, seed=5, folder=photos)
    code = main(["index", str(photos), "--library", str(tmp_path / "lib"),
                 "--model", f"local-dir:{FIXTURE_MODEL}"])
    assert code == 0
    err = capsys.readouterr().err
    assert "\r" not in err                            # no bars in a log
    lines = err.splitlines()
    assert lines[lines.index(next(x for x in lines if x.startswith("Loading model: ")))
                 + 1].startswith("Loading model: done in ")
    n = len(list(photos.iterdir()))
    assert f"Indexing: 0 / {n} photos" in lines
    assert any(x.startswith(f"Indexing: {n} / {n} photos, done in ") for x in lines)
    words = len(load_vocabulary([]).tags)
    assert f"Embedding tag words: 0 / {words} words" in lines
    assert any(x.startswith(f"Embedding tag words: {words} / {words} words, done in ")
               for x in lines)
    # in the order they ran: the photos first, then the vocabulary
    assert lines.index(f"Indexing: 0 / {n} photos") < lines.index(
        f"Embedding tag words: 0 / {words} words")


# -- the app ------------------------------------------------------------------------------
def test_the_status_line_names_the_text_export_and_then_how_the_run_ended(
        qtbot, open_window, make_photos, model_source, tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from photosearch.core import text_onnx

    monkeypatch.delenv("PHOTOSEARCH_NO_ONNX")
    monkeypatch.setattr(text_onnx, "_failed", set())
    # an encoder of its own: the export switches it to the exported text side
    window = open_window(features=False, encoder_factory=lambda progress: load_encoder(
        model_source, device="cpu", precision="fp32"))
    label = window.status.label
    seen: list[str] = []
    window.indexer.progress.connect(lambda _: seen.append(label.text()))
    make_photos(per_class=1, seed=7, folder=tmp_path / "p")
    with qtbot.waitSignal(window.indexer.stage_done, timeout=120000):
        window.add_folders([str(tmp_path / "p")])
    assert f"Preparing quick text search {text_onnx.STEPS} / {text_onnx.STEPS}" in seen
    assert label.text().startswith("Up to date")
    assert not window.progress_bar.isVisible()
    assert text_onnx.exported(model_source.key)
