"""The Date control beside the search box: any time, this year, last year, a month, or a
range of days.

It speaks the query syntax rather than a filter of its own: a choice becomes ``date:``,
``after:`` and ``before:`` terms (``core.dates``) that the window writes into the search
box (``core.query.with_periods``), and the control shows whatever date terms the box
holds, typed or chosen. So the box, the control and the CLI always mean the same thing.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QLocale, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QMenu,
    QSpinBox,
    QToolButton,
    QWidget,
)

Periods = tuple[tuple[str, str], ...]     # ("date" | "after" | "before", period)


def month_periods(year: int, month: int) -> Periods:
    return (("date", f"{year:04d}-{month:02d}"),)


def range_periods(first: date | None, last: date | None) -> Periods:
    """Taken from ``first`` through ``last`` (days, both included; None: open)."""
    out: list[tuple[str, str]] = []
    if first is not None:
        out.append(("after", first.isoformat()))
    if last is not None:
        out.append(("before", (last + timedelta(days=1)).isoformat()))
    return tuple(out)


class DateFilter(QToolButton):
    """A drop-down button; ``periods_chosen`` carries the date terms of the choice."""

    periods_chosen = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dateFilter")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip(self.tr("Only photos taken at a time (the query's date:, after: "
                                "and before:)"))
        self.periods: Periods = ()
        menu = QMenu(self)
        self.actions_by_name = {
            "any": menu.addAction(self.tr("Any time"), lambda: self.choose(())),
            "this_year": menu.addAction(self.tr("This year"), lambda: self.choose(
                (("date", str(date.today().year)),))),
            "last_year": menu.addAction(self.tr("Last year"), lambda: self.choose(
                (("date", str(date.today().year - 1)),))),
            "this_month": menu.addAction(self.tr("This month"), lambda: self.choose(
                month_periods(date.today().year, date.today().month))),
        }
        menu.addSeparator()
        self.actions_by_name["month"] = menu.addAction(self.tr("A month…"), self._ask_month)
        self.actions_by_name["range"] = menu.addAction(self.tr("From… to…"), self._ask_range)
        self.setMenu(menu)
        self.show_periods(())

    def choose(self, periods: Periods) -> None:
        self.show_periods(periods)
        self.periods_chosen.emit(periods)

    def show_periods(self, periods: Periods) -> None:
        """Show the date terms the search box holds (typed there, or chosen here)."""
        self.periods = tuple(periods)
        self.setText(self.tr("Date: {period}").format(period=self.describe(self.periods)))

    def changeEvent(self, event: QEvent) -> None:
        """The interface language changed: the button's text is made from a template."""
        if event.type() == QEvent.Type.LanguageChange:
            self.show_periods(self.periods)
        super().changeEvent(event)

    def describe(self, periods: Periods) -> str:
        if not periods:
            return self.tr("any time")
        parts = []
        for key, value in periods:
            if key == "date":
                parts.append(value)
            elif key == "after":
                parts.append(self.tr("from {date}").format(date=value))
            else:
                parts.append(self.tr("before {date}").format(date=value))
        return ", ".join(parts)

    # -- the dialogs ------------------------------------------------------------------------
    def _ask_month(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Photos taken in a month"))
        today = date.today()
        year = QSpinBox(minimum=1900, maximum=today.year + 1, value=today.year)
        month = QSpinBox(minimum=1, maximum=12, value=today.month)
        form = QFormLayout(dialog)
        form.addRow(self.tr("Year:"), year)
        form.addRow(self.tr("Month:"), month)
        form.addRow(_buttons(dialog))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.choose(month_periods(year.value(), month.value()))
        dialog.deleteLater()

    def _ask_range(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Photos taken between two days"))
        today = QDate.currentDate()
        first = QDateEdit(today.addMonths(-1), calendarPopup=True)
        last = QDateEdit(today, calendarPopup=True)
        for edit in (first, last):
            edit.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
        form = QFormLayout(dialog)
        form.addRow(self.tr("From:"), first)
        form.addRow(self.tr("To (included):"), last)
        form.addRow(_buttons(dialog))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            a, b = sorted((first.date().toPython(), last.date().toPython()))
            self.choose(range_periods(a, b))
        dialog.deleteLater()


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
