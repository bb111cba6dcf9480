"""The ``folders`` table: the library's folders, whether they are reachable, and which
folder a path belongs to.

Folders do not nest in a library: adding a folder that holds library folders absorbs
them (``absorb``), and a path belongs to the deepest folder that contains it.
"""

from __future__ import annotations

import time

from photosearch.core.catalog.database import Database
from photosearch.core.catalog.records import FOLDER_COLUMNS, Folder, db_path
from photosearch.core.files import is_within


class FolderTable(Database):
    def add_folder(self, path: str) -> Folder:
        with self.write() as conn:
            conn.execute("INSERT OR IGNORE INTO folders(path, added_at) VALUES (?, ?)",
                         (db_path(path), time.time()))
        folder = self.folder_by_path(path)
        assert folder is not None
        return folder

    def remove_folder(self, folder_id: int) -> list[int]:
        """Forget a folder and its photos (the files stay); returns the forgotten photo ids."""
        with self.write() as conn:
            rows = conn.execute("SELECT id FROM photos WHERE folder_id=?", (folder_id,))
            ids = [r[0] for r in rows]
            conn.execute("DELETE FROM folders WHERE id=?", (folder_id,))
        return ids

    def absorb(self, outer: Folder, inner: list[Folder]) -> None:
        """Folders inside ``outer`` give it their photos and leave the library."""
        with self.write() as conn:
            for f in inner:
                conn.execute("UPDATE photos SET folder_id=? WHERE folder_id=?",
                             (outer.id, f.id))
                conn.execute("DELETE FROM folders WHERE id=?", (f.id,))

    def folders(self) -> list[Folder]:
        rows = self.conn.execute(f"SELECT {FOLDER_COLUMNS} FROM folders ORDER BY path")
        return [Folder.from_row(r) for r in rows]

    def folder_by_path(self, path: str) -> Folder | None:
        r = self.conn.execute(f"SELECT {FOLDER_COLUMNS} FROM folders WHERE path=?",
                              (db_path(path),)).fetchone()
        return Folder.from_row(r) if r else None

    def folder_for_path(self, path: str) -> Folder | None:
        """The library folder that contains ``path`` (the deepest one, if folders nest)."""
        best = None
        for folder in self.folders():
            if is_within(path, folder.path) and (best is None
                                                 or len(folder.path) > len(best.path)):
                best = folder
        return best

    def folders_inside(self, path: str) -> list[Folder]:
        """Library folders that lie strictly inside ``path``."""
        return [f for f in self.folders() if f.path != path and is_within(f.path, path)]

    def set_folder_state(self, folder_id: int, *, online: bool, scanned: bool = False) -> None:
        with self.write() as conn:
            if scanned:
                conn.execute(
                    "UPDATE folders SET online=?, last_scan=? WHERE id=?",
                    (int(online), time.time(), folder_id),
                )
            else:
                conn.execute("UPDATE folders SET online=? WHERE id=?", (int(online), folder_id))
