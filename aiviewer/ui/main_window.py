"""The main window: composes the library, reader, entity panel and search popup,
wires actions to them, and runs long work through `Tasks`.  It holds no logic of
its own beyond that wiring; everything it shows comes from `Library`."""

from __future__ import annotations

import time

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
)

from aiviewer import __version__
from aiviewer.errors import AiviewerError
from aiviewer.library import Library
from aiviewer.model import Annotation, ImportReport, MentionInContext, SearchHit
from aiviewer.ui import theme
from aiviewer.ui.actions import ACTIONS, MENUS
from aiviewer.ui.dialogs import CommandPalette, ImportReportDialog, ShortcutSheet
from aiviewer.ui.importer import ImportProcess
from aiviewer.ui.saving import WINDOW_WAIT_MS, save
from aiviewer.ui.tasks import Tasks, thread_library
from aiviewer.ui.views.annotation_browser import AnnotationBrowser
from aiviewer.ui.views.annotation_panel import AnnotationPanel
from aiviewer.ui.views.entity_dialog import EntityDialog
from aiviewer.ui.views.entity_panel import EntityPanel
from aiviewer.ui.views.library_view import LibraryView
from aiviewer.ui.views.note_editor import NoteEditor, TagPopup
from aiviewer.ui.views.reader import DEFAULT_POINT_SIZE, Reader
from aiviewer.ui.views.search_popup import SearchPopup

PROGRESS_DELAY_MS = 400


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: QSettings | None = None):
        super().__init__()
        self._closing = False
        self.library = library
        # a change waits a moment for another writer's lock, then `save` shows that it
        # waits (and keeps the change) instead of freezing the window for ten seconds
        library.wait_for_writers(WINDOW_WAIT_MS)
        self.data_dir = str(library.data_dir)
        self.settings = settings or QSettings("aiviewer", "aiviewer")
        self.tasks = Tasks(self)
        self.setWindowTitle("aiviewer")
        self.setAcceptDrops(True)
        self.library_view = LibraryView()
        self.reader = Reader()
        self.reader.entity_info = self.library.entity
        self.entities = EntityPanel()
        self.annotation_panel = AnnotationPanel()
        self.side = QTabWidget()
        self.side.addTab(self.entities, "Entities")
        self.side.addTab(self.annotation_panel, "Annotations")
        self.browser = None
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.library_view)
        self.split.addWidget(self.reader)
        self.split.addWidget(self.side)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([380, 760, 320])
        self.setCentralWidget(self.split)
        self.search = SearchPopup(self._run_search, self)
        self.actions_by_id: dict[str, QAction] = {}
        self._build_actions()
        self._build_status()
        self.mode = "light"
        self.current_episode: str | None = None
        self.last_report: ImportReport | None = None
        self._report_dialog = None
        self.importing: ImportProcess | None = None
        self.library_view.episode_activated.connect(self.open_episode)
        self.library_view.context_requested.connect(self._on_library_context)
        self.reader.entity_clicked.connect(self._on_reader_entity)
        self.reader.search_requested.connect(self.open_search)
        self.entities.entity_selected.connect(lambda name: self._step_entity(name, 1))
        self.entities.step_requested.connect(self._step_entity)
        self.entities.everywhere_requested.connect(self._show_everywhere)
        self.entities.mention_chosen.connect(self._open_mention)
        self.entities.kinds_toggled.connect(self.reader.set_hidden_kinds)
        self.entities.edit_requested.connect(self.edit_entity)
        self.entities.remove_requested.connect(self.remove_entity)
        self.search.hit_chosen.connect(self._open_hit)
        self.annotation_panel.open_requested.connect(self.show_annotation)
        self.annotation_panel.delete_requested.connect(self._delete_annotations)
        self.annotation_panel.edit_requested.connect(self.edit_annotation)
        self.reader.view.viewport().installEventFilter(self)
        self.search.closed.connect(lambda: self.reader.view.setFocus())
        self.restore_requested = False
        self.restore_settings()
        self.refresh_library()
        if library.read_only:
            self._show_read_only(library.read_only)
        QTimer.singleShot(0, self._warm_up)
        QTimer.singleShot(0, self._check_health)

    # -- the library file's health ------------------------------------------------------

    def _show_read_only(self, reason: str) -> None:
        label = QLabel(f"Read-only: {reason}")
        label.setObjectName("read-only")
        label.setToolTip(f"{self.library.db_path} cannot be changed ({reason}); "
                         "reading, searching and exporting work, changes are refused.")
        self.statusBar().addPermanentWidget(label)
        self.read_only_label = label

    def _check_health(self) -> None:
        """Ask SQLite whether the file is sound, then take the daily backup — on the
        writer thread, where a second of checking a large library holds nothing up.
        A damaged file is never backed up, and from then on never written."""
        data_dir = self.data_dir
        read_only = bool(self.library.read_only)

        def job(progress):
            lib = thread_library(data_dir)
            problem = lib.verify()
            backup = None if problem or read_only else lib.daily_backup()
            return problem, backup

        def done(result):
            problem, backup = result
            if problem and not self._closing:
                self._on_damage_found(problem)
            elif backup is not None:
                self.statusBar().showMessage(f"Daily backup saved ({backup.name})", 4000)

        def failed(message):
            if not self._closing:
                self.statusBar().showMessage(f"Daily backup failed: {message}", 10000)
        self.tasks.run_write(job, done, failed)

    def _on_damage_found(self, problem: str) -> None:
        backups = self.library.backups()
        box = QMessageBox(QMessageBox.Icon.Critical, "Library damaged",
                          f"{self.library.db_path} is damaged: {problem}.", parent=self)
        box.setObjectName("damage-found")
        box.setInformativeText(
            "Nothing more is written to it, so changes cannot be saved now. "
            + ("Restoring the newest backup keeps everything that can still be read from "
               "the damaged file." if backups else "There is no backup of it."))
        restore = (box.addButton("Restore Newest Backup…", QMessageBox.ButtonRole.AcceptRole)
                   if backups else None)
        box.addButton("Keep Reading", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if restore is not None and box.clickedButton() is restore:
            self.request_restore(confirm=False)

    def request_restore(self, confirm: bool = True) -> None:
        """Close the window and have the app restore the newest backup, merge in what
        the current file still holds, and open again."""
        backups = self.library.backups()
        if not backups:
            return
        if confirm:
            answer = QMessageBox.question(
                self, "Restore Backup",
                f"Restore the backup {backups[0].name}?\n\nThe library closes, the current "
                "file is set aside (never deleted), everything that can still be read from "
                "it is merged into the backup, and the library opens again.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.restore_requested = True
        self.close()

    def _warm_up(self) -> None:
        """Bring stale entity mentions up to date (the catalog or the user's entities
        changed since they were computed) in a child process: building the matcher
        is a second of work that would otherwise hold up this process."""
        from PySide6.QtCore import QProcess

        from aiviewer.ui.importer import cli_command

        program, args = cli_command(self.data_dir, ["reindex", "--entities-if-stale", "--json"])
        proc = QProcess(self)
        proc.setProgram(program)
        proc.setArguments(args)

        def done(code, status):
            import json
            if self._closing:
                return
            try:
                n = json.loads(bytes(proc.readAllStandardOutput()).decode())["episodes_rematched"]
            except (ValueError, KeyError, RuntimeError):
                n = 0
            self._on_mentions_refreshed(n)
        proc.finished.connect(done)
        self._refresher = proc
        proc.start()

    def prepare_search(self) -> None:
        """Build the search caches (speller, entity names, facets: about a second at
        100x) on the search thread now, rather than in the user's first query."""
        if self._closing:  # a child process that outlived the window reports late
            return
        data_dir = self.data_dir
        self.tasks.run_read(lambda progress: thread_library(data_dir).prepare_search(), None)

    def _on_mentions_refreshed(self, n: int) -> None:
        if self._closing:
            return
        self.prepare_search()
        if n:
            self.statusBar().showMessage(f"Entity highlights updated in {n} episodes", 5000)
            if self.current_episode:
                episode_id, self.current_episode = self.current_episode, None
                self.open_episode(episode_id)

    # -- actions ------------------------------------------------------------------------

    def _build_actions(self) -> None:
        menus = {name: self.menuBar().addMenu(f"&{name}") for name in MENUS}
        handlers = {
            "import_files": self.import_files, "import_folder": self.import_folder,
            "import_report": self.show_import_report, "quit": self.close,
            "search": self.open_search, "find": self.reader.open_find,
            "find_next": self.reader.find_next, "find_previous": self.reader.find_previous,
            "palette": self.open_palette,
            "focus_library": lambda: self.library_view.list.setFocus(),
            "focus_reader": lambda: self.reader.view.setFocus(),
            "focus_entities": self._focus_entities,
            "next_episode": lambda: self.library_view.step(1),
            "previous_episode": lambda: self.library_view.step(-1),
            "next_chapter": lambda: self.reader.chapter_step(1),
            "previous_chapter": lambda: self.reader.chapter_step(-1),
            "next_mention": lambda: self._step_current_entity(1),
            "previous_mention": lambda: self._step_current_entity(-1),
            "rename_speaker": self.rename_speaker, "remove_episode": self.remove_episode,
            "reveal_sources": self.reveal_sources,
            "zoom_in": lambda: self.reader.zoom(1), "zoom_out": lambda: self.reader.zoom(-1),
            "zoom_reset": lambda: self.reader.zoom(0),
            "theme_dark": self._on_theme_toggled, "toggle_entities": self.reader.set_highlights,
            "shortcuts": self.show_shortcuts, "about": self.show_about,
            "export_annotations": self.export_annotations,
            "import_annotations": self.import_annotations,
            "undo": self.undo, "redo": self.redo,
            "tag_selection": self.tag_selection, "annotate_selection": self.annotate_selection,
            "select_sentence": self.reader.extend_by_sentence, "reattach": self.reattach,
            "annotation_browser": self.open_annotation_browser,
            "focus_annotations": self._focus_annotations,
            "new_entity": self.new_entity,
        }
        for spec in ACTIONS:
            action = QAction(spec.text, self)
            action.setObjectName(spec.id)
            single_key = [k for k in spec.keys if len(k) == 1 or k.startswith("Shift+") and
                          len(k) == 7]
            window_keys = [QKeySequence(k) for k in spec.keys if k not in single_key]
            action.setShortcuts(window_keys)
            if spec.tip:
                action.setStatusTip(spec.tip)
            action.setCheckable(spec.checkable)
            handler = handlers[spec.id]
            if spec.checkable:
                action.toggled.connect(handler)
            else:
                action.triggered.connect(lambda checked=False, h=handler: h())
            menus[spec.menu].addAction(action)
            self.addAction(action)
            if single_key:  # plain keys act only where typing is not expected
                from PySide6.QtGui import QShortcut
                for k in single_key:
                    QShortcut(QKeySequence(k), self.reader.view, action.trigger,
                              context=Qt.ShortcutContext.WidgetShortcut)
                    if spec.id == "shortcuts":
                        QShortcut(QKeySequence(k), self.library_view.list, action.trigger,
                                  context=Qt.ShortcutContext.WidgetShortcut)
            self.actions_by_id[spec.id] = action
        self.actions_by_id["toggle_entities"].setChecked(True)
        self.update_undo_actions()

    def _build_status(self) -> None:
        self.status_label = QLabel("")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the import after the current file")
        self.cancel_button.clicked.connect(self.cancel_import)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

    # -- library and reader -------------------------------------------------------------

    def refresh_library(self) -> None:
        self._show_library(self.library.episodes(), self.library.counts())

    def refresh_library_later(self, then=None) -> None:
        """During an import: read the list on the reader thread (a large library takes
        a while to list) and only fill the tree here; `then()` runs after that."""
        data_dir = self.data_dir

        def job(progress):
            lib = thread_library(data_dir)
            return lib.episodes(), lib.counts()

        def show(result):
            self._show_library(*result)
            if then is not None:
                then()
        self.tasks.run_read(job, show)

    def _show_library(self, episodes, counts) -> None:
        self.library_view.set_episodes(episodes)
        self.status_label.setText(f"{counts['episodes']} episodes · {counts.get('shows', 0)} shows")

    def open_episode(self, episode_id: str) -> float:
        """Show an episode; returns the seconds it took (the benchmark reads it)."""
        if episode_id == self.current_episode and self.reader.episode is not None:
            return 0.0
        started = time.perf_counter()
        try:
            episode = self.library.episode(episode_id)
        except AiviewerError as exc:
            self.statusBar().showMessage(str(exc), 5000)
            return 0.0
        self.current_episode = episode_id
        n = self.reader.show_episode(episode, self.library.segment_mentions(episode_id))
        self.entities.set_entities(self.library.episode_entities(episode_id))
        self.refresh_annotations()
        self.library_view.select(episode_id, emit=False)
        self.setWindowTitle(f"{episode.title} — aiviewer")
        elapsed = time.perf_counter() - started
        self.statusBar().showMessage(
            f"{episode.summary.n_words:,} words · {n:,} entity mentions · "
            f"opened in {elapsed * 1000:.0f} ms", 4000)
        return elapsed

    # -- annotations --------------------------------------------------------------------

    def tag_colours(self) -> dict[str, str]:
        return {t.name: t.colour for t in self.library.tags() if t.colour}

    def refresh_annotations(self) -> None:
        if self.current_episode is None:
            self.annotation_panel.set_annotations([], {})
            return
        anns = self.library.annotations(episode_id=self.current_episode)
        colours = self.tag_colours()
        self.reader.set_annotations(anns, colours)
        self.annotation_panel.set_annotations(anns, colours)
        self.side.setTabText(1, f"Annotations ({len(anns)})" if anns else "Annotations")
        self.update_undo_actions()
        if self.browser is not None and self.browser.isVisible():
            self.browser.refresh()

    def _selection_or_warn(self) -> tuple[int, int] | None:
        span = self.reader.selected_span()
        if span is None or self.current_episode is None:
            self.statusBar().showMessage(
                "Select text in the transcript first (Shift+arrows, or v for a sentence).", 5000)
        return span

    def tag_selection(self) -> None:
        span = self._selection_or_warn()
        if span is None:
            return
        quote = self.reader.view.textCursor().selectedText()
        popup = TagPopup([t.name for t in self.library.tags()], quote, self)
        if popup.exec() and popup.tag():
            episode_id, tag = self.current_episode, popup.tag()
            ok, a = save(self, f"The tag “{tag}”",
                         lambda: self.library.annotate(episode_id, *span, tags=[tag]))
            self.refresh_annotations()
            if ok:
                self.annotation_panel.select(a.id)
                self.statusBar().showMessage(f"Tagged “{tag}” — saved", 3000)
        self._back_to_reader()

    def annotate_selection(self) -> None:
        span = self._selection_or_warn()
        if span is None:
            return
        quote = self.reader.view.textCursor().selectedText()
        editor = NoteEditor(quote, parent=self)
        if editor.exec():
            episode_id, note, tags = self.current_episode, editor.note(), editor.tag_list()
            ok, a = save(self, "The annotation", lambda: self.library.annotate(
                episode_id, *span, note_md=note, tags=tags))
            self.refresh_annotations()
            if ok:
                self.annotation_panel.select(a.id)
                self.statusBar().showMessage("Annotation saved", 3000)
            else:
                self._keep_typed(note)
        self._back_to_reader()

    def _keep_typed(self, note: str) -> None:
        """A note that could not be saved is not thrown away: it goes to the clipboard."""
        if note.strip():
            QApplication.clipboard().setText(note)
            self.statusBar().showMessage("Not saved — your note is on the clipboard", 10000)

    def _back_to_reader(self) -> None:
        """After a dialog: the window active again and the caret where it was."""
        self.activateWindow()
        self.reader.view.setFocus()

    def edit_annotation(self, a: Annotation) -> None:
        editor = NoteEditor(a.exact, a.note_md, ", ".join(a.tags), self)
        if editor.exec():
            note, new_tags = editor.note(), set(editor.tag_list())

            def write():
                with self.library.op("Edit annotation"):
                    edit()

            def edit():
                if note != a.note_md:
                    self.library.set_note(a.id, note)
                for t in set(a.tags) - new_tags:
                    self.library.untag([a.id], t)
                for t in new_tags - set(a.tags):
                    self.library.tag([a.id], t)
            ok, _ = save(self, "The annotation", write)
            if not ok:
                self._keep_typed(note)
            self.refresh_annotations()
            self.annotation_panel.select(a.id)
        # back where the user pressed e, so the next key (j, k, Ctrl+Z) goes somewhere
        self.activateWindow()
        self._focus_annotations()

    def _delete_annotations(self, ids: list[str]) -> None:
        ok, n = save(self, "Deleting the annotations", lambda: self.library.delete_annotations(ids))
        self.refresh_annotations()
        if ok:
            self.statusBar().showMessage(f"Deleted {n} annotation(s) — Ctrl+Z to undo", 5000)

    def show_annotation(self, a: Annotation) -> None:
        if a.episode_id != self.current_episode:
            self.open_episode(a.episode_id)
        if a.start is not None:
            self.reader.select_span(a.start, a.end)
        self.annotation_panel.select(a.id)
        self.reader.view.setFocus()

    def reattach(self) -> None:
        a = self.annotation_panel.current() or (
            self.browser.selected_annotations()[0] if self.browser and
            self.browser.selected_annotations() else None)
        span = self._selection_or_warn()
        if a is None or span is None:
            return
        episode_id = self.current_episode
        save(self, "Re-attaching the annotation",
             lambda: self.library.reattach(a.id, *span, episode_id=episode_id))
        self.refresh_annotations()

    def undo(self) -> None:
        label = self.library.undo_label()
        if label:
            ok, _ = save(self, f"Undo {label}", self.library.undo)
            if ok:
                self.statusBar().showMessage(f"Undone: {label}", 4000)
            self.refresh_annotations()

    def redo(self) -> None:
        label = self.library.redo_label()
        if label:
            ok, _ = save(self, f"Redo {label}", self.library.redo)
            if ok:
                self.statusBar().showMessage(f"Redone: {label}", 4000)
            self.refresh_annotations()

    def update_undo_actions(self) -> None:
        undo, redo = self.library.undo_label(), self.library.redo_label()
        self.actions_by_id["undo"].setText(f"&Undo {undo}" if undo else "&Undo")
        self.actions_by_id["undo"].setEnabled(bool(undo))
        self.actions_by_id["redo"].setText(f"&Redo {redo}" if redo else "&Redo")
        self.actions_by_id["redo"].setEnabled(bool(redo))

    def open_annotation_browser(self) -> None:
        if self.browser is None:
            self.browser = AnnotationBrowser(self.library, self)
            self.browser.open_requested.connect(self.show_annotation)
            self.browser.changed.connect(self.refresh_annotations)
        self.browser.refresh()
        self.browser.show()
        self.browser.raise_()
        self.browser.text.setFocus()

    def _focus_annotations(self) -> None:
        self.side.setCurrentWidget(self.annotation_panel)
        self.annotation_panel.list.setFocus()

    def export_annotations(self) -> None:
        formats = {"Markdown (*.md)": "markdown", "CSV (*.csv)": "csv",
                   "W3C Web Annotation JSON-LD (*.jsonld)": "w3c",
                   "REFI-QDA project (*.qdpx)": "qdpx", "HTML page (*.html)": "html"}
        path, chosen = QFileDialog.getSaveFileName(self, "Export annotations", "annotations",
                                                   ";;".join(formats))
        if not path:
            return
        fmt = formats.get(chosen, "markdown")
        ext = chosen.split("*")[1].rstrip(")")
        if not path.endswith(ext):
            path += ext
        try:
            self.library.export_annotations(fmt, path)
        except AiviewerError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        self.statusBar().showMessage(f"Exported to {path}", 6000)

    def import_annotations(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import annotations", "", "Annotations (*.jsonld *.json *.qdpx);;All files (*)")
        if not path:
            return
        try:
            result = self.library.import_annotations(path)
        except AiviewerError as exc:
            QMessageBox.warning(self, "Import failed", str(exc))
            return
        self.refresh_annotations()
        QMessageBox.information(self, "Annotations imported", str(result))

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent
        if obj is self.reader.view.viewport() and \
                event.type() == QEvent.Type.MouseButtonRelease and \
                not self.reader.view.textCursor().hasSelection():
            pos = self.reader.view.cursorForPosition(event.position().toPoint()).position()
            hits = self.reader.annotations_at(pos)
            if hits:
                self.side.setCurrentWidget(self.annotation_panel)
                self.annotation_panel.select(hits[-1].id)
        return False

    # -- the user's entities ------------------------------------------------------------

    def new_entity(self) -> None:
        selected = self.reader.view.textCursor().selectedText().strip()
        dialog = EntityDialog(" ".join(selected.split())[:80], parent=self)
        if dialog.exec():
            self._run_entity_command(dialog.cli_args(), dialog.name.text().strip())
        self._back_to_reader()

    def edit_entity(self, canonical: str) -> None:
        dialog = EntityDialog(existing=self.library.entity(canonical), parent=self)
        if dialog.exec():
            self._run_entity_command(dialog.cli_args(), dialog.name.text().strip())

    def remove_entity(self, canonical: str) -> None:
        answer = QMessageBox.question(
            self, "Remove Entity", f"Stop highlighting “{canonical}” in every episode?\n\n"
            "A catalog entity is hidden (add it again to bring it back).")
        if answer == QMessageBox.StandardButton.Yes:
            self._run_entity_command(["entities", "remove", canonical], canonical)

    def _run_entity_command(self, args: list[str], name: str) -> None:
        """Re-matching every episode the names can touch is real work: a child process
        does it while the window stays usable."""
        from PySide6.QtCore import QProcess

        from aiviewer.ui.importer import cli_command

        program, full = cli_command(self.data_dir, args)
        proc = QProcess(self)
        proc.setProgram(program)
        proc.setArguments(full)
        self.status_label.setText(f"Updating entity highlights for “{name}”…")

        def done(code, status):
            self.library.forget_entities()
            err = bytes(proc.readAllStandardError()).decode("utf-8", "replace").strip()
            if code != 0:
                QMessageBox.warning(self, "Entity not saved", err or f"exit status {code}")
            else:
                self.statusBar().showMessage(f"“{name}” saved; highlights updated", 5000)
            self.refresh_library()
            if self.current_episode:
                episode_id, self.current_episode = self.current_episode, None
                self.open_episode(episode_id)
        proc.finished.connect(done)
        self._entity_process = proc
        proc.start()

    def _focus_entities(self) -> None:
        self.side.setCurrentWidget(self.entities)
        self.entities.tree.setFocus()

    def _on_reader_entity(self, canonical: str) -> None:
        self.side.setCurrentWidget(self.entities)
        self.entities.select(canonical)
        self._show_everywhere(canonical)

    def _step_current_entity(self, delta: int) -> None:
        if self.entities.current:
            self._step_entity(self.entities.current, delta)

    def _step_entity(self, canonical: str, delta: int) -> None:
        total = self.reader.step_entity(canonical, delta)
        info = self.library.entity(canonical)
        self.entities.show_step(canonical, self.reader._entity_at + 1, total,
                                info.description if info else "")

    def _show_everywhere(self, canonical: str) -> None:
        self.entities.set_everywhere(canonical, self.library.entity_mentions(canonical))

    def _open_mention(self, mention: MentionInContext) -> None:
        if not isinstance(mention, MentionInContext):
            return
        self.open_episode(mention.episode_id)
        self.reader.show_segment(mention.segment_id, (mention.surface,))
        self.reader.view.setFocus()

    # -- search -------------------------------------------------------------------------

    def open_search(self) -> None:
        self.search.open()

    def _run_search(self, query: str, generation: int, callback) -> None:
        data_dir = self.data_dir

        def job(progress):
            return thread_library(data_dir).search(query, limit=30)
        self.tasks.run_read(job, lambda results: callback(generation, results),
                            lambda message: self.search.show_error(generation, message))

    def _open_hit(self, hit: SearchHit) -> None:
        self.open_episode(hit.episode_id)
        terms = tuple(dict.fromkeys(hit.snippet[a:b] for a, b in hit.highlights))
        if hit.segment_id is not None:
            self.reader.show_segment(hit.segment_id, terms)
        self.reader.view.setFocus()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.search.isVisible():
            self.search.place()

    # -- importing ----------------------------------------------------------------------

    def import_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import transcripts", "",
            "Transcripts (*.txt *.md *.vtt *.srt *.json *.html *.htm);;All files (*)")
        if files:
            self.start_import(files)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of transcripts")
        if folder:
            self.start_import([folder])

    def start_import(self, paths: list[str], seeds: bool = False) -> None:
        if self.importing is not None:
            self.statusBar().showMessage("An import is already running.", 4000)
            return
        self.importing = ImportProcess(self.data_dir, paths, seeds, self)
        self.importing.progress.connect(self._on_import_progress)
        self.importing.finished.connect(self._on_import_finished)
        self.status_label.setText("Importing the sample library…" if seeds else "Importing…")
        self._last_refresh = 0.0
        QTimer.singleShot(PROGRESS_DELAY_MS, self._show_progress)
        self.importing.start()

    def _on_import_finished(self, report: ImportReport | None, error: str) -> None:
        if report is None:
            self._on_import_failed(error)
        else:
            self._on_import_done(report)

    def _show_progress(self) -> None:
        if self.importing is not None:
            self.progress.show()
            self.cancel_button.show()

    def cancel_import(self) -> None:
        if self.importing is not None:
            self.importing.cancel()
            self.status_label.setText("Cancelling after the current file…")

    def _on_import_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total} files")
        now = time.monotonic()
        if done and now - self._last_refresh > 2.0:  # the library fills as episodes arrive
            self._last_refresh = now
            self.refresh_library_later()

    def _on_import_done(self, report: ImportReport) -> None:
        self.importing = None
        self.progress.hide()
        self.cancel_button.hide()
        self.last_report = report
        # the caches are built once the list is shown: both at once would share the
        # interpreter and double the time the window spends filling the list
        self.refresh_library_later(then=self.prepare_search)
        msg = (f"Import: {report.added} added, {report.updated} updated, "
               f"{report.merged} merged, {len(report.failed)} failed"
               + (" (cancelled)" if report.cancelled else ""))
        self.statusBar().showMessage(msg, 8000)
        if report.failed:
            self.show_import_report()
        if self.current_episode is None:
            self._open_first()

    def _on_import_failed(self, message: str) -> None:
        self.importing = None
        self.progress.hide()
        self.cancel_button.hide()
        self.refresh_library()
        QMessageBox.warning(self, "Import failed", message)

    def show_import_report(self) -> None:
        if self.last_report is None:
            self.statusBar().showMessage("Nothing has been imported in this session.", 4000)
            return
        self._report_dialog = ImportReportDialog(self.last_report, self)
        self._report_dialog.show()

    def _open_first(self) -> None:
        episodes = self.library.episodes()
        if episodes:
            best = max(episodes, key=lambda e: (e.date or "", e.n_words))
            self.open_episode(best.id)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.start_import(paths)

    # -- episode actions ----------------------------------------------------------------

    def _on_library_context(self, episode_id: str, pos) -> None:
        from PySide6.QtWidgets import QMenu
        menu = QMenu(self)
        for key in ("rename_speaker", "remove_episode", "reveal_sources"):
            menu.addAction(self.actions_by_id[key])
        menu.exec(pos)

    def rename_speaker(self) -> None:
        episode_id = self.library_view.current_episode() or self.current_episode
        if not episode_id:
            return
        ep = self.library.episode(episode_id)
        labels = list(ep.speaker_names) or sorted({s.speaker_label for s in ep.segments
                                                   if s.speaker_label})
        if not labels:
            self.statusBar().showMessage("This episode has no speaker labels.", 4000)
            return
        shown = [f"{lab}  →  {ep.speaker_names.get(lab, lab)}" for lab in labels]
        choice, ok = QInputDialog.getItem(self, "Rename Speaker", "Speaker:", shown, 0, False)
        if not ok:
            return
        label = labels[shown.index(choice)]
        name, ok = QInputDialog.getText(self, "Rename Speaker", f"Name for “{label}”:",
                                        text=ep.speaker_names.get(label, label))
        if ok and name.strip():
            saved, _ = save(self, f"The name “{name.strip()}”",
                            lambda: self.library.rename_speaker(episode_id, label, name.strip()))
            self.current_episode = None
            self.open_episode(episode_id)
            self.refresh_library()
            if saved:  # after reopening, whose "opened in …" would hide it at once
                self.statusBar().showMessage(f"{label} is now “{name.strip()}” — saved", 4000)

    def remove_episode(self) -> None:
        episode_id = self.library_view.current_episode() or self.current_episode
        if not episode_id:
            return
        title = self.library.episode(episode_id).title
        answer = QMessageBox.question(
            self, "Remove Episode",
            f"Remove “{title}” from the library?\n\nIts source files are not touched; "
            "importing them again brings it back. Notes on it are kept.")
        if answer == QMessageBox.StandardButton.Yes:
            ok, _ = save(self, "Removing the episode",
                         lambda: self.library.remove_episode(episode_id))
            if ok and self.current_episode == episode_id:
                self.current_episode = None
                self.reader.clear()
                self.entities.set_entities([])
            self.refresh_library()

    def reveal_sources(self) -> None:
        episode_id = self.library_view.current_episode() or self.current_episode
        if not episode_id:
            return
        ep = self.library.episode(episode_id)
        lines = "\n".join(f"{s.role}: {s.path}  ({s.form})" for s in ep.sources)
        QMessageBox.information(self, "Sources", lines or "No source files recorded.")

    # -- dialogs ------------------------------------------------------------------------

    def open_palette(self) -> None:
        CommandPalette(self.actions_by_id, self).exec()

    def show_shortcuts(self) -> None:
        ShortcutSheet(self).exec()

    def show_about(self) -> None:
        counts = self.library.counts()
        QMessageBox.about(
            self, "About aiviewer",
            f"<h3>aiviewer {__version__}</h3><p>A reader and annotator for AI podcast "
            f"transcripts.</p><p>Library: {self.data_dir}<br>{counts['episodes']} episodes</p>")

    # -- theme and settings -------------------------------------------------------------

    def apply_theme(self, name: str) -> None:
        self.mode = theme.apply(QApplication.instance(), name)
        self.reader.set_style(theme.reader_css(self.mode))
        self.entities.set_theme(self.mode)
        action = self.actions_by_id["theme_dark"]
        action.blockSignals(True)
        action.setChecked(self.mode == "dark")
        action.blockSignals(False)

    def _on_theme_toggled(self, dark: bool) -> None:
        self.settings.setValue("theme", "dark" if dark else "light")
        self.apply_theme("dark" if dark else "light")

    def restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1380, 860)
        split = s.value("splitter")
        if isinstance(split, QByteArray):
            self.split.restoreState(split)
        self.reader.set_point_size(int(s.value("font_size", DEFAULT_POINT_SIZE)))
        self.apply_theme(str(s.value("theme", "system")))
        recent = s.value("recent_searches", [])
        self.search.recent = [str(q) for q in (recent if isinstance(recent, list) else [recent])
                              if q][:20]

    def restore_episode(self) -> None:
        """Reopen the episode and scroll position of the last session."""
        episode_id = self.settings.value("episode")
        if episode_id and any(e.id == episode_id for e in self.library.episodes()):
            self.open_episode(str(episode_id))
            scroll = int(self.settings.value("scroll", 0))
            QTimer.singleShot(0, lambda: self.reader.set_scroll_position(scroll))
        else:
            self._open_first()

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("splitter", self.split.saveState())
        s.setValue("font_size", self.reader.point_size)
        s.setValue("recent_searches", self.search.recent)
        if self.current_episode:
            s.setValue("episode", self.current_episode)
            s.setValue("scroll", self.reader.scroll_position())
        s.sync()

    def closeEvent(self, event) -> None:
        self._closing = True
        if self.browser is not None:  # the browser is a tool window of this one
            self.browser.close()
        refresher = getattr(self, "_refresher", None)
        if refresher is not None and refresher.state() != refresher.ProcessState.NotRunning:
            refresher.waitForFinished(10000)
        if self.importing is not None:
            self.importing.cancel()
            self.importing.wait(10000)
        self.save_settings()
        self.tasks.wait(10000)
        super().closeEvent(event)
