"""The tag popup lists the library's tags as the reader types, and Enter applies the
highlighted row: what is typed ("Create tag …") unless Down chose an existing tag.
A blind review found the bare field gave no idea which tags existed or how to leave."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from aiviewer.ui.views.note_editor import TagPopup

NAMES = ["orgs/Hugging Face", "orgs/Papers with Code", "method/RL/GRPO", "method/RL"]


def _rows(popup: TagPopup) -> list[str]:
    """Each row's name, and its count after "  ·  " when it has one."""
    out = []
    for i in range(popup.list.topLevelItemCount()):
        item = popup.list.topLevelItem(i)
        out.append(item.text(0) + (f"  ·  {item.text(1)}" if item.text(1) else ""))
    return out


def _popup(qtbot, names=NAMES, counts=None) -> TagPopup:
    popup = TagPopup(names, "a quote", counts=counts or {"orgs/Hugging Face": 3})
    qtbot.addWidget(popup)
    popup.show()
    popup.edit.setFocus()
    return popup


def test_every_tag_is_listed_before_typing_with_its_count(qtbot):
    popup = _popup(qtbot)
    rows = _rows(popup)
    assert rows[0] == "method/RL"  # by name
    assert "orgs/Hugging Face  ·  3 passages" in rows and len(rows) == 4
    ok = popup.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Apply tag" and ok.isEnabled()  # the first tag is highlighted
    assert popup.buttons.button(QDialogButtonBox.StandardButton.Cancel).isVisible()


def test_typing_filters_and_enter_creates_what_is_typed(qtbot):
    popup = _popup(qtbot)
    qtbot.keyClicks(popup.edit, "orgs/")  # a path ending in "/" browses: nothing to create
    assert _rows(popup) == ["orgs/Hugging Face  ·  3 passages", "orgs/Papers with Code"]
    assert popup.tag() == "orgs/Hugging Face"
    qtbot.keyClicks(popup.edit, "Scale")
    assert _rows(popup)[0] == "Create tag “orgs/Scale”"
    assert popup.list.indexOfTopLevelItem(popup.list.currentItem()) == 0
    assert popup.tag() == "orgs/Scale"
    qtbot.keyClick(popup.edit, Qt.Key.Key_Return)
    assert popup.result() == QDialog.DialogCode.Accepted and popup.tag() == "orgs/Scale"


def test_down_chooses_an_existing_tag_and_the_field_keeps_the_keys(qtbot):
    popup = _popup(qtbot)
    qtbot.keyClicks(popup.edit, "pap")
    assert _rows(popup) == ["Create tag “pap”", "orgs/Papers with Code"]
    qtbot.keyClick(popup.edit, Qt.Key.Key_Down)
    assert popup.focusWidget() is popup.edit and popup.tag() == "orgs/Papers with Code"
    qtbot.keyClick(popup.edit, Qt.Key.Key_Down)  # stays on the last row
    qtbot.keyClick(popup.edit, Qt.Key.Key_Up)
    assert popup.tag() == "pap"
    qtbot.keyClick(popup.edit, Qt.Key.Key_Down)
    qtbot.keyClick(popup.edit, Qt.Key.Key_Return)
    assert popup.result() == QDialog.DialogCode.Accepted
    assert popup.tag() == "orgs/Papers with Code"


def test_an_exact_name_is_the_tag_itself_and_prefixes_come_first(qtbot):
    popup = _popup(qtbot)
    qtbot.keyClicks(popup.edit, "method/rl")
    assert _rows(popup) == ["method/RL", "method/RL/GRPO"]  # no "Create": it exists
    assert popup.tag() == "method/RL"


def test_no_tags_yet_says_how_to_make_one_and_escape_cancels(qtbot):
    popup = _popup(qtbot, names=[], counts={})
    assert _rows(popup) == ["No tags yet — type a name to create one"]
    assert popup.tag() == ""
    assert not popup.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    qtbot.keyClick(popup.edit, Qt.Key.Key_Escape)
    assert popup.result() == QDialog.DialogCode.Rejected
