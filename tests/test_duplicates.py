"""Duplicates on generated photos: tiers, chain safety, keep, trash, collapse, increments."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageEnhance

from photosearch.core import duplicates as dup
from photosearch.core.duplicates.candidates import PHashBands
from photosearch.core.duplicates.linkage import link
from photosearch.core.duplicates.pairs import Thresholds, make_facts
from photosearch.core.features import standard_hooks
from photosearch.core.pipeline import index_library
from photosearch.core.search import Hit

EDITS = ("exact", "half", "q60", "png", "bright", "crop5")


def write_copies(src: Path, folder: Path) -> list[Path]:
    """The edits a library collects: exact copy, resized, re-encoded, PNG, brighter, 5 %
    crop."""
    folder.mkdir(parents=True, exist_ok=True)
    im = Image.open(src).convert("RGB")
    w, h = im.size
    stem = src.stem
    out = [folder / f"{stem}-exact{src.suffix}", folder / f"{stem}-half.jpg",
           folder / f"{stem}-q60.jpg", folder / f"{stem}-png.png",
           folder / f"{stem}-bright.jpg", folder / f"{stem}-crop5.jpg"]
    shutil.copyfile(src, out[0])
    im.resize((w // 2, h // 2), Image.Resampling.LANCZOS).save(out[1], quality=90)
    im.save(out[2], quality=60)
    im.save(out[3])
    ImageEnhance.Brightness(im).enhance(1.15).save(out[4], quality=90)
    dx, dy = round(w * 0.025), round(h * 0.025)
    im.crop((dx, dy, w - dx, h - dy)).save(out[5], quality=90)
    return out


@pytest.fixture
def scene(library, encoder, make_photos, tmp_path):
    """36 different generated photos (one per class), 3 of them with 6 copies each,
    indexed with the standard hooks."""
    originals = [p for p, _, _ in make_photos(per_class=1, seed=7, size=192,
                                               folder=tmp_path / "photos" / "originals")]
    picked = [originals[0], originals[14], originals[29]]
    copies = {src: write_copies(src, tmp_path / "photos" / "copies") for src in picked}
    library.add_folder(tmp_path / "photos")
    report = index_library(library, encoder, hooks=standard_hooks())
    assert not report.failed
    return library, originals, copies


def _path_sets(groups) -> set[frozenset[str]]:
    return {frozenset(os.path.basename(p.path) for p in g.photos) for g in groups}


def _expected(copies) -> set[frozenset[str]]:
    return {frozenset([src.name] + [c.name for c in cs]) for src, cs in copies.items()}


def test_copies_group_and_different_photos_do_not(scene, encoder):
    library, _, copies = scene
    groups = dup.stored_groups(library)          # built incrementally by the hook
    assert _path_sets(groups) == _expected(copies)
    assert {g.tier for g in groups} == {"same"}
    assert dup.is_current(library, encoder.key, dup.thresholds_for(library))
    # a full regroup finds the same groups
    assert _path_sets(dup.refresh_groups(library, encoder.key)) == _expected(copies)


def test_exact_copies_are_the_exact_tier(scene, encoder):
    library, _, copies = scene
    groups = dup.current_groups(library, encoder.key, tier="exact")
    assert _path_sets(groups) == {frozenset([s.name, c[0].name]) for s, c in copies.items()}
    assert {g.tier for g in groups} == {"exact"}


def test_keep_is_highest_resolution_and_user_choice_survives(scene, encoder):
    library, _, copies = scene
    groups = dup.current_groups(library, encoder.key)
    for g in groups:
        assert g.keep.width * g.keep.height == max(p.width * p.height for p in g.photos)
        assert not g.keep.path.endswith("-half.jpg")
    g = groups[0]
    choice = next(p for p in g.photos if p.path.endswith("-half.jpg"))
    dup.set_keep(library, g.id, choice.id)
    regrouped = dup.refresh_groups(library, encoder.key)
    kept = next(x for x in regrouped if choice.id in {p.id for p in x.photos})
    assert kept.keep_id == choice.id and kept.keep_chosen


def test_trash_moves_exactly_the_non_kept_files(scene, encoder, tmp_path):
    library, _, _ = scene
    before = {p for p in (tmp_path / "photos").rglob("*") if p.is_file()}
    groups = dup.current_groups(library, encoder.key)
    plan = dup.cleanup_plan(groups).photos
    report = dup.trash_others(library, groups)
    assert sorted(report.moved) == sorted(p.path for p in plan) and not report.failed
    assert not report.skipped
    after = {p for p in (tmp_path / "photos").rglob("*") if p.is_file()}
    assert {str(p) for p in before - after} == {p.path for p in plan}
    assert all(os.path.exists(g.keep.path) for g in groups)
    trash = Path(os.environ["XDG_DATA_HOME"]) / "Trash" / "files"
    assert sorted(p.name for p in trash.iterdir()) == sorted(Path(p.path).name for p in plan)
    assert "Trash" in report.location
    index = library.index_for(encoder.key, encoder.dim)
    for p in plan:
        assert library.catalog.photo(p.id).status == "missing" and p.id not in index
    assert dup.stored_groups(library) == []
    logged = library.catalog.conn.execute("SELECT count(*) FROM trash_log").fetchone()[0]
    assert logged == len(plan)


def test_collapse_hides_copies_behind_the_kept_photo(scene, encoder):
    library, originals, copies = scene
    groups = dup.current_groups(library, encoder.key)
    g = groups[0]
    loner = library.catalog.photo_by_path(str(originals[5]))
    hits = [Hit(g.others[0].id, g.others[0].path, 0.9), Hit(loner.id, loner.path, 0.8),
            Hit(g.keep.id, g.keep.path, 0.7), Hit(g.others[1].id, g.others[1].path, 0.6)]
    collapsed = dup.Collapsed.load(library)
    out = collapsed.collapse(hits)
    assert [(h.photo_id, n) for h, n in out] == [(loner.id, 1), (g.keep.id, len(g.photos))]
    assert collapsed.keep_of(g.others[0].id) == g.keep.id
    assert collapsed.badge(g.keep.id, expanded=False) == f"×{len(g.photos)}"
    assert collapsed.badge(g.others[0].id, expanded=False) is None
    assert collapsed.badge(g.others[0].id, expanded=True).endswith(f"/{len(g.photos)}")
    assert [h.photo_id for h in collapsed.copies(out[1][0])] == [p.id for p in g.others]


def test_incremental_hook_needs_no_full_regroup(library, encoder, make_photos, tmp_path,
                                                monkeypatch):
    originals = [p for p, _, _ in make_photos(per_class=1, seed=7, size=192,
                                               folder=tmp_path / "a")]
    library.add_folder(tmp_path / "a")
    index_library(library, encoder, hooks=standard_hooks())
    assert dup.stored_groups(library) == []

    def no_full_pass(*args, **kwargs):
        raise AssertionError("the hook must not regroup the whole library")

    monkeypatch.setattr(dup.groups, "find_groups", no_full_pass)
    copies = {originals[3]: write_copies(originals[3], tmp_path / "b")}
    library.add_folder(tmp_path / "b")
    index_library(library, encoder, hooks=standard_hooks())
    assert _path_sets(dup.stored_groups(library)) == _expected(copies)


def test_group_counts_follow_the_slider(scene, encoder):
    library, _, _ = scene
    counts = dup.group_counts(library, encoder.key, "same", [0, 10])
    assert counts[10] == (3, 21)
    assert counts[0][1] <= counts[10][1]


def test_chain_is_not_merged_by_cosine():
    # A~B and B~C at cosine 0.95, but A and C only 0.80 apart: never one group.
    a = np.array([1.0, 0.0, 0.0])
    c = np.array([0.8, 0.6, 0.0])
    b = (a + c) / np.linalg.norm(a + c)
    vecs = np.stack([a, b, c]).astype(np.float32)
    facts = make_facts([1, 2, 3], [None] * 3, [None] * 3, [None] * 3, vecs)
    th = Thresholds(near_cosine=0.9)
    groups = link(facts, np.array([0, 1]), np.array([1, 2]), th)
    assert [sorted(g.rows) for g in groups] in ([[0, 1]], [[1, 2]])


def test_chain_is_not_merged_by_phash():
    base = 0x0123456789ABCDEF
    hashes = [base, base ^ 0b11111, base ^ 0b11111 ^ (0b11111 << 20)]  # 5, 5, and 10 apart
    facts = make_facts([1, 2, 3], [None] * 3, hashes, [None] * 3, None)
    th = Thresholds(same_phash=6)
    qa, qb = PHashBands(np.arange(3), facts.phash).pairs(np.arange(3), facts.phash, 6)
    groups = link(facts, qa, qb, th)
    assert len(groups) == 1 and len(groups[0].rows) == 2


def test_phash_bands_find_every_pair_within_the_threshold():
    rng = np.random.default_rng(0)
    hashes = rng.integers(0, 2**63, 1500, dtype=np.int64).astype(np.uint64)
    for i in range(0, 200, 2):   # plant pairs 0..12 bits apart
        bits = rng.choice(64, int(rng.integers(0, 13)), replace=False)
        hashes[i + 1] = hashes[i] ^ np.uint64(sum(1 << int(b) for b in bits))
    rows = np.arange(len(hashes))
    bands = PHashBands(rows[:1000], hashes[:1000])
    bands.add(rows[1000:], hashes[1000:])
    dist = np.bitwise_count(hashes[:, None] ^ hashes[None, :])
    for t in (3, 10, 12):
        qa, qb = bands.pairs(rows, hashes, t)
        got = {(min(x, y), max(x, y)) for x, y in zip(qa.tolist(), qb.tolist(), strict=True)}
        i, j = np.nonzero(np.triu(dist <= t, 1))
        assert got == set(zip(i.tolist(), j.tolist(), strict=True))


def test_thresholds_from_settings():
    th = Thresholds.from_dict({"same_phash": 6.0, "near_cosine": 0.9, "bogus": 1})
    assert th.same_phash == 6 and isinstance(th.same_phash, int) and th.near_cosine == 0.9


def test_phash_match_needs_the_embedding_to_agree_when_there_is_one():
    """Unrelated photos sometimes land within 10 pHash bits; at 100k photos that is
    thousands of pairs, so a pHash match counts as "same picture" only if the vectors
    (where known) agree too."""
    from photosearch.core.duplicates.pairs import ranks

    close = [0b1011, 0b1011 ^ 0b111]            # 3 bits apart
    up, side = np.array([1, 0, 0], np.float32), np.array([0, 1, 0], np.float32)
    a, b = np.array([0]), np.array([1])
    th = Thresholds()
    unrelated = make_facts([1, 2], [None, None], close, [None, None], np.stack([up, side]))
    assert ranks(unrelated, a, b, th)[0][0] == 3          # not related at all
    copies = make_facts([1, 2], [None, None], close, [None, None], np.stack([up, up]))
    assert ranks(copies, a, b, th)[0][0] == 1             # same picture
    no_vectors = make_facts([1, 2], [None, None], close, [None, None], None)
    assert ranks(no_vectors, a, b, th)[0][0] == 1         # pHash alone decides


def test_the_pipeline_imports_no_feature():
    """Features register their hooks in ``core.features``; indexing knows none of them."""
    import subprocess
    import sys

    code = ("import sys, photosearch.core.pipeline; "
            "print(sorted(m for m in sys.modules if m.startswith(('photosearch.core.duplicates',"
            " 'photosearch.core.tagging'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_hook_work_per_photo_is_bounded_however_large_the_group(library):
    """Many near-identical photos (icons, a long burst) once made each new photo compare
    every pair of its group. Now a photo is compared with a bounded few: its candidates
    and its group's representatives, whatever the group's size."""
    from types import SimpleNamespace

    from photosearch.core.duplicates.hook import CANDIDATES, DuplicateHook
    from photosearch.core.duplicates.knn import NEIGHBOURS
    from photosearch.core.duplicates.linkage import REPRESENTATIVES

    n, batch = 240, 16
    rng = np.random.default_rng(0)   # one picture, cosine ~0.97, pHash within 8 bits
    vecs = rng.normal(size=64).astype(np.float32) + rng.normal(size=(n, 64)).astype(
        np.float32) * 0.17
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    base = int(rng.integers(0, 2**62))
    hashes = np.array([base ^ sum(1 << int(b) for b in rng.choice(64, int(rng.integers(0, 5)),
                                                                 replace=False))
                       for _ in range(n)], np.uint64).astype(np.int64)   # as SQLite stores
    encoder = SimpleNamespace(key="synthetic", dim=vecs.shape[1])
    folder = library.catalog.add_folder("/nowhere")
    index = library.index_for(encoder.key, encoder.dim)
    hook = DuplicateHook()
    per_batch = []
    for start in range(0, n, batch):
        with library.catalog.write() as conn:
            ids = []
            for i in range(start, start + batch):
                ids.append(conn.execute(
                    "INSERT INTO photos(folder_id, path, size, mtime, content_hash, width, "
                    "height, phash, status, added_at) VALUES (?,?,?,?,?,?,?,?,'ok',0)",
                    (folder.id, f"/nowhere/{i}.png", 100 + i, 0.0, f"h{i}", 64, 64,
                     int(hashes[i]))).lastrowid)
                conn.execute("INSERT INTO embeddings(model, photo_id, vector) VALUES (?,?,?)",
                             (encoder.key, ids[-1], vecs[i].tobytes()))
        index.add(ids, vecs[start:start + batch])
        before = hook.compared
        hook(library, encoder, np.array(ids), vecs[start:start + batch])
        per_batch.append(hook.compared - before)
    groups = dup.stored_groups(library)
    assert [len(g.photos) for g in groups] == [n]           # one group of every photo
    bound = batch * (2 * CANDIDATES + NEIGHBOURS + REPRESENTATIVES)
    assert max(per_batch) <= bound
    # the last batches (group of 200+) cost no more than those when the group was ~50
    assert max(per_batch[-3:]) <= max(per_batch[3:6]) * 1.2


# -- the checks on disk before trashing (the last line of defence) ------------------------
def _group_on_disk(library, tmp_path, extra_path) -> tuple[dup.Group, Path]:
    """Catalog rows for kept.jpg and ``extra_path(kept)`` (path or paths the caller made),
    put in one exact group by hand: whatever the scanner would do, trashing must check."""
    from photosearch.core.files import hash_file

    folder = tmp_path / "photos"
    folder.mkdir(exist_ok=True)
    kept = folder / "kept.jpg"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(kept)
    made = extra_path(kept)
    others = made if isinstance(made, list) else [made]
    row = library.catalog.add_folder(str(folder))
    with library.catalog.write() as conn:
        for path in (kept, *others):
            conn.execute("INSERT INTO photos(folder_id, path, size, mtime, content_hash, "
                         "status, added_at) VALUES (?,?,?,?,?,'ok',0)",
                         (row.id, str(path), os.path.getsize(path), 0.0, hash_file(path)))
    photos = [library.catalog.photo_by_path(str(p)) for p in (kept, *others)]
    return dup.Group("exact", photos, photos[0].id), kept


def _copy(kept: Path) -> Path:
    shutil.copyfile(kept, kept.with_name("copy.jpg"))
    return kept.with_name("copy.jpg")


@pytest.mark.parametrize("alias", ["hardlink", "symlink", "folder-symlink"])
def test_an_alias_of_the_kept_file_is_never_trashed(library, tmp_path, alias):
    def make(kept: Path) -> Path:
        if alias == "hardlink":
            os.link(kept, kept.with_name("alias.jpg"))
            return kept.with_name("alias.jpg")
        if alias == "symlink":
            os.symlink(kept, kept.with_name("alias.jpg"))
            return kept.with_name("alias.jpg")
        (tmp_path / "again").symlink_to(kept.parent, target_is_directory=True)
        return tmp_path / "again" / kept.name

    group, kept = _group_on_disk(library, tmp_path, make)
    report = dup.trash_others(library, [group])
    assert report.moved == [] and kept.is_file()
    assert [s.reason for s in report.skipped] == [dup.SkipReason.SAME_FILE]
    assert dup.cleanup_plan([group]).photos == []          # never even offered
    # the alias as the kept one: a link is not a regular file, the real file stays too
    swapped = dup.Group("exact", group.photos[::-1], group.photos[1].id)
    report = dup.trash_others(library, [swapped])
    assert report.moved == [] and kept.is_file()
    assert report.skipped[0].reason in (dup.SkipReason.SAME_FILE,
                                        dup.SkipReason.KEEP_NOT_A_FILE)


def test_a_kept_file_edited_after_grouping_skips_its_group(library, tmp_path):
    group, kept = _group_on_disk(library, tmp_path, _copy)
    Image.new("RGB", (64, 48), (10, 200, 10)).save(kept)      # a different picture now
    report = dup.trash_others(library, [group])
    assert report.moved == [] and (tmp_path / "photos" / "copy.jpg").is_file()
    assert [s.reason for s in report.skipped] == [dup.SkipReason.KEEP_CHANGED]
    assert "changed" in report.skipped[0].message


def test_a_copy_edited_after_grouping_skips_its_group(library, tmp_path):
    group, _ = _group_on_disk(library, tmp_path, _copy)
    Image.new("RGB", (64, 48), (10, 200, 10)).save(tmp_path / "photos" / "copy.jpg")
    report = dup.trash_others(library, [group])
    assert report.moved == [] and (tmp_path / "photos" / "copy.jpg").is_file()
    assert [s.reason for s in report.skipped] == [dup.SkipReason.COPY_CHANGED]


def test_a_vanished_kept_file_skips_its_group(library, tmp_path):
    group, kept = _group_on_disk(library, tmp_path, _copy)
    kept.unlink()
    plan = dup.cleanup_plan([group])
    assert plan.photos == [] and [s.reason for s in plan.skipped] == [
        dup.SkipReason.KEEP_MISSING]
    report = dup.trash_others(library, [group])
    assert report.moved == [] and (tmp_path / "photos" / "copy.jpg").is_file()
    assert [s.reason for s in report.skipped] == [dup.SkipReason.KEEP_MISSING]


def test_a_checked_group_moves_and_the_index_is_saved_once(library, tmp_path, monkeypatch):
    def copies(kept: Path) -> list[Path]:
        out = [kept.with_name(f"copy{i}.jpg") for i in range(3)]
        for path in out:
            shutil.copyfile(kept, path)
        return out

    group, kept = _group_on_disk(library, tmp_path, copies)
    calls: list[list[int]] = []
    monkeypatch.setattr(library, "drop_from_indexes", lambda ids: calls.append(list(ids)))
    report = dup.trash_others(library, [group])
    assert sorted(report.moved) == sorted(p.path for p in group.others)
    assert not report.skipped and kept.is_file()
    assert calls == [[p.id for p in group.others]]     # one drop (one save) for all three
