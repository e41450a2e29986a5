"""Every user action declared once: id, menu text, shortcut, menu, palette text.

Menus, the shortcut sheet (F1) and the command palette (Ctrl+Shift+P) are all
built from this table, so an action cannot exist in one and be missing from the
others; `check_conflicts` fails the tests if two actions share a key.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    keys: tuple[str, ...]
    menu: str
    tip: str = ""
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("import_files", "&Import Files…", ("Ctrl+O",), "File", "Import transcript files"),
    ActionSpec("import_folder", "Import &Folder…", ("Ctrl+Shift+O",), "File",
               "Import every transcript in a folder"),
    ActionSpec("import_report", "Last Import &Report", (), "File",
               "Show what the last import did"),
    ActionSpec("export_annotations", "&Export Annotations…", ("Ctrl+E",), "File",
               "Markdown, CSV, W3C Web Annotation, REFI-QDA (QDPX) or HTML"),
    ActionSpec("import_annotations", "Import A&nnotations…", (), "File",
               "Read annotations exported as W3C JSON or QDPX"),
    ActionSpec("publish", "&Publish for Datasette…", (), "File",
               "Write Datasette metadata and show the command that serves the library "
               "read-only to a team"),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "File"),
    ActionSpec("undo", "&Undo", ("Ctrl+Z",), "Edit"),
    ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit"),
    ActionSpec("search", "&Search Library…", ("Ctrl+K",), "Edit",
               "Search every transcript (/ in the reader)"),
    ActionSpec("more_like_this", "More &Like This", ("L",), "Edit",
               "Passages closest in meaning to the selection, or to the passage at the "
               "cursor (reader focused; Ctrl+M on a search hit, M in the annotation browser)"),
    ActionSpec("find", "&Find in Episode…", ("Ctrl+F",), "Edit"),
    ActionSpec("find_next", "Find &Next", ("F3",), "Edit"),
    ActionSpec("find_previous", "Find Pre&vious", ("Shift+F3",), "Edit"),
    ActionSpec("palette", "&Command Palette…", ("Ctrl+Shift+P",), "Edit",
               "Run any action by name"),
    ActionSpec("focus_library", "Go to &Library", ("Ctrl+1",), "Go"),
    ActionSpec("focus_reader", "Go to &Reader", ("Ctrl+2",), "Go"),
    ActionSpec("focus_entities", "Go to &Entities", ("Ctrl+3",), "Go"),
    ActionSpec("next_episode", "Next &Episode", ("Alt+Down",), "Go"),
    ActionSpec("previous_episode", "Previous E&pisode", ("Alt+Up",), "Go"),
    ActionSpec("next_chapter", "Next &Chapter", ("Ctrl+Down",), "Go"),
    ActionSpec("previous_chapter", "Previous C&hapter", ("Ctrl+Up",), "Go"),
    ActionSpec("next_mention", "Next &Mention of Entity", ("N",), "Go",
               "Step through the selected entity's mentions (reader focused)"),
    ActionSpec("previous_mention", "Previous Mention of Entity", ("Shift+N",), "Go"),
    ActionSpec("next_suggestion", "Next &Suggestion", ("G",), "Go",
               "Step to the next entity suggestion — a name heard below the confidence bar "
               "(reader focused)"),
    ActionSpec("previous_suggestion", "Previous Suggestion", ("Shift+G",), "Go"),
    ActionSpec("confirm_suggestion", "&Confirm Suggestion…", ("Y",), "Annotate",
               "The suggestion at the caret is that entity: in this episode or the whole "
               "library (reader focused)"),
    ActionSpec("reject_suggestion", "Re&ject Suggestion", ("X",), "Annotate",
               "The suggestion at the caret is not that entity, everywhere (reader focused)"),
    ActionSpec("tag_selection", "&Tag Selection…", ("T",), "Annotate",
               "Tag the selected passage (reader focused)"),
    ActionSpec("annotate_selection", "&Annotate Selection…", ("A",), "Annotate",
               "Write a Markdown note on the selected passage (reader focused)"),
    ActionSpec("select_sentence", "Select &Sentence", ("V",), "Annotate",
               "Select the sentence at the cursor; again to extend (reader focused)"),
    ActionSpec("new_entity", "New &Entity from Selection…", ("Ctrl+Shift+N",), "Annotate",
               "Teach aiviewer a name it does not know; every episode is re-matched"),
    ActionSpec("delete_annotations", "&Delete Selected Annotations", (), "Annotate",
               "Delete the annotations selected in the Annotations panel (Delete there); "
               "Ctrl+Z brings them back"),
    ActionSpec("reattach", "&Re-attach Annotation Here", (), "Annotate",
               "Move the annotation selected in the panel to the selected text"),
    ActionSpec("annotation_browser", "Annotation &Browser", ("Ctrl+Shift+B",), "Annotate",
               "Every annotation in the library, with tags"),
    ActionSpec("focus_annotations", "Go to A&nnotations", ("Ctrl+4",), "Go"),
    ActionSpec("focus_outline", "Go to &Outline", ("Ctrl+5",), "Go",
               "The episode's chapters, or a turn every few minutes: arrows move, Enter "
               "jumps the reader there"),
    ActionSpec("rename_speaker", "&Rename Speaker…", ("F2",), "Episode",
               "Name the speaker of the turn at the caret, everywhere in the episode "
               "(F2 on a library row edits the episode's details)"),
    ActionSpec("edit_details", "Episode &Details…", ("Ctrl+I",), "Episode",
               "Title, show, date, URL and description, kept over what files say "
               "(F2 on a library row)"),
    ActionSpec("split_turn", "&Split Turn at Caret", ("S",), "Episode",
               "Start a new turn where the caret is (reader focused)"),
    ActionSpec("assign_speaker", "Assign S&peaker…", ("P",), "Episode",
               "Credit the turn at the caret, or the selected turns, to a speaker "
               "(reader focused)"),
    ActionSpec("merge_turn", "&Merge with Previous Turn", ("M",), "Episode",
               "Join the turn at the caret to the one before (reader focused)"),
    ActionSpec("remove_episode", "Re&move Episode…", ("Ctrl+Backspace",), "Episode"),
    ActionSpec("reveal_sources", "Show &Sources", (), "Episode",
               "The files this episode was imported from"),
    ActionSpec("insights", "&Insights…", ("Ctrl+Shift+I",), "View",
               "Charts of who mentions what, what goes together and when; each mark "
               "opens its passages"),
    ActionSpec("zoom_in", "Zoom &In", ("Ctrl+=", "Ctrl++"), "View"),
    ActionSpec("zoom_out", "Zoom &Out", ("Ctrl+-",), "View"),
    ActionSpec("zoom_reset", "&Actual Size", ("Ctrl+0",), "View"),
    ActionSpec("column_wider", "&Wider Reading Column", ("Ctrl+]",), "View",
               "More characters a line (remembered)"),
    ActionSpec("column_narrower", "&Narrower Reading Column", ("Ctrl+[",), "View",
               "Fewer characters a line (remembered)"),
    ActionSpec("theme_dark", "&Dark Theme", ("Ctrl+Shift+D",), "View",
               "Switch between light and dark", checkable=True),
    ActionSpec("toggle_entities", "Highlight &Entities", ("Ctrl+Shift+E",), "View",
               "Show entity highlights in the reader", checkable=True),
    ActionSpec("shortcuts", "&Keyboard Shortcuts", ("F1", "?"), "Help"),
    ActionSpec("about", "&About aiviewer", (), "Help"),
)

MENUS = ("File", "Edit", "Go", "Annotate", "Episode", "View", "Help")


def check_conflicts(actions: tuple[ActionSpec, ...] = ACTIONS) -> list[str]:
    seen: dict[str, str] = {}
    problems = []
    for spec in actions:
        for key in spec.keys:
            norm = key.lower()
            if norm in seen:
                problems.append(f"{key}: {seen[norm]} and {spec.id}")
            seen[norm] = spec.id
    return problems
