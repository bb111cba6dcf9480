"""One duplicate group as a card: its photos wrapped to the width, each with its file
name, facts and a Keep choice; a near group shows its exact or same-picture subsets
(found by ``core.duplicates.nest``) in boxes of their own, so the stronger relation
stays visible.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPixmap
from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel, QRadioButton, QVBoxLayout, QWidget

from photosearch.core import duplicates as dup
from photosearch.core.catalog import Photo
from photosearch.core.files import display_path
from photosearch.core.library import Library
from photosearch.gui.flow_layout import FlowLayout

THUMB = 160


translate = QCoreApplication.translate   # lupdate finds translate("Context", …)

TIER_LABELS = {"exact": QT_TRANSLATE_NOOP("DuplicatesView", "Exact copies"),
               "same": QT_TRANSLATE_NOOP("DuplicatesView", "Same picture"),
               "near": QT_TRANSLATE_NOOP("DuplicatesView", "Near-duplicates")}


def tier_label(tier: str) -> str:
    return translate("DuplicatesView", TIER_LABELS[tier])


def _size(n: int) -> str:
    """"97 kB", "1.5 MB" in the interface's language ("97 кБ", "1,5 МБ")."""
    return QLocale().formattedDataSize(n, 1 if n >= 1_000_000 else 0,
                                       QLocale.DataSizeFormat.DataSizeSIFormat)


def describe(photo: Photo) -> str:
    """Resolution, file size, format and date, one per line (the folder is in the
    tooltip: a long one would widen the cell)."""
    ext = os.path.splitext(photo.path)[1].lstrip(".").upper()
    when = photo.taken_at or datetime.fromtimestamp(photo.mtime).isoformat(timespec="minutes")
    res = f"{photo.width}×{photo.height}" if photo.width else "?"
    return "\n".join([res, _size(photo.size), ext, when.replace("T", " ")[:16]])


class GroupCard(QFrame):
    """One group: a tier label, its subsets' boxes, then the rest of its photos."""

    keep_changed = Signal(int, int)       # group id, photo id

    def __init__(self, library: Library, group: dup.Group,
                 subsets: Sequence[dup.Group] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.group = group
        self.library = library
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.title = QLabel(tier_label(group.tier) + " · "
                            + translate("DuplicatesView", "%Ln photos", None, len(group.photos)))
        layout.addWidget(self.title)
        self.keep_buttons = QButtonGroup(self)
        self.radios: dict[int, QRadioButton] = {}
        self.names: dict[int, QLabel] = {}
        self.sub_headers: list[QLabel] = []
        nested = {p.id for s in subsets for p in s.photos}
        for subset in subsets:
            box = QFrame()
            box.setFrameShape(QFrame.Shape.Box)
            inner = QVBoxLayout(box)
            header = QLabel(tier_label(subset.tier) + ": " + str(len(subset.photos)))
            header.setObjectName("subgroupHeader")
            inner.addWidget(header)
            self.sub_headers.append(header)
            inner.addLayout(self._flow(subset.photos))
            layout.addWidget(box)
        layout.addLayout(self._flow([p for p in group.photos if p.id not in nested]))
        self.keep_buttons.idToggled.connect(self._toggled)

    def _flow(self, photos: Sequence[Photo]) -> FlowLayout:
        flow = FlowLayout()
        for photo in photos:
            flow.addWidget(self._cell(photo))
        return flow

    def _cell(self, photo: Photo) -> QWidget:
        cell = QWidget()
        cell.setFixedWidth(THUMB + 8)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        thumb = QLabel()
        thumb.setFixedSize(THUMB, THUMB)
        thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        thumbs = self.library.thumbnails
        if photo.content_hash and thumbs.has(photo.content_hash):
            pix = QPixmap(str(thumbs.path_for(photo.content_hash)))
            pix = pix.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
            thumb.setPixmap(pix)
            # as tall as the picture, so its name sits right under it (a landscape photo
            # in a square box left a band above and below: seen in the Xvfb screenshot)
            thumb.setFixedHeight(max(pix.height(), THUMB // 2))
        column.addWidget(thumb)
        shown = display_path(photo.path)
        name = QLabel()
        name.setText(QFontMetrics(name.font()).elidedText(
            os.path.basename(shown), Qt.TextElideMode.ElideMiddle, THUMB))
        name.setToolTip(shown)
        column.addWidget(name)
        self.names[photo.id] = name
        info = QLabel(describe(photo))
        info.setToolTip(shown)
        column.addWidget(info)
        radio = QRadioButton(translate("DuplicatesView", "Keep"))
        radio.setChecked(photo.id == self.group.keep_id)
        self.keep_buttons.addButton(radio, photo.id)
        self.radios[photo.id] = radio
        column.addWidget(radio)
        return cell

    def _toggled(self, photo_id: int, checked: bool) -> None:
        if checked and photo_id != self.group.keep_id and self.group.id is not None:
            self.keep_changed.emit(self.group.id, photo_id)
