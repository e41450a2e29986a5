"""The main window: lays out the library, reader, side panel and search popup,
builds the actions and keeps the settings.  What the actions do lives in
`ui/controllers` (annotating, importing, entities, episodes, health, search,
insights); this module only wires widgets and actions to them."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
)

from aiviewer import __version__
from aiviewer.library import Library
from aiviewer.ui import theme
from aiviewer.ui.actions import ACTIONS, MENUS
from aiviewer.ui.changes_hub import ChangesHub
from aiviewer.ui.controllers.annotating import AnnotatingController
from aiviewer.ui.controllers.details import DetailsController
from aiviewer.ui.controllers.entities import EntitiesController
from aiviewer.ui.controllers.episodes import EpisodesController
from aiviewer.ui.controllers.health import HealthController
from aiviewer.ui.controllers.importing import ImportingController
from aiviewer.ui.controllers.insights import InsightsController
from aiviewer.ui.controllers.reading import ReadingController
from aiviewer.ui.controllers.search import SearchController
from aiviewer.ui.controllers.turns import TurnsController
from aiviewer.ui.dialogs import CommandPalette, ShortcutSheet
from aiviewer.ui.first_paint import FirstPaint
from aiviewer.ui.jobs import ChildJob
from aiviewer.ui.keys import TextKey
from aiviewer.ui.saving import WINDOW_WAIT_MS
from aiviewer.ui.tasks import Tasks
from aiviewer.ui.views.annotation_panel import AnnotationPanel
from aiviewer.ui.views.entity_panel import EntityPanel
from aiviewer.ui.views.library_view import LibraryView
from aiviewer.ui.views.panes import three_panes
from aiviewer.ui.views.reader import DEFAULT_POINT_SIZE, Reader
from aiviewer.ui.views.search_popup import SearchPopup


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: QSettings | None = None, jobs=ChildJob):
        """`jobs` makes the child jobs (`ui/jobs.py`); tests pass `SyncJob`."""
        super().__init__()
        self.closing = self.restore_requested = False
        self.library = library
        # a change waits a moment for another writer's lock, then `save` shows that it
        # waits (and keeps the change) instead of freezing the window for ten seconds
        library.wait_for_writers(WINDOW_WAIT_MS)
        self.data_dir = str(library.data_dir)
        self.settings = settings or QSettings("aiviewer", "aiviewer")
        self.tasks = Tasks(self)
        self.jobs = jobs
        self.mode = "light"
        self._build_layout()
        self._build_status()
        self.changes_hub = ChangesHub(self)  # every view redraws from its one signal
        self.health = HealthController(self)
        self.episodes = EpisodesController(self)
        self.annotating = AnnotatingController(self)
        self.entity_control = EntitiesController(self)
        self.searching = SearchController(self)
        self.importing_control = ImportingController(self)
        self.turns, self.details, self.insight_control, self.reading = (
            TurnsController(self), DetailsController(self), InsightsController(self),
            ReadingController(self))
        self.actions_by_id: dict[str, QAction] = {}
        self._build_actions()
        self.library_view.episode_activated.connect(self.episodes.open)
        self.library_view.context_requested.connect(self.episodes.context_menu)
        self.reader.search_requested.connect(self.open_search)
        self.search.hit_chosen.connect(self.searching.open_hit)
        self.search.closed.connect(lambda: self.reader.view.setFocus())
        self.restore_settings()
        self.first_paint = FirstPaint(self)  # what can wait until the window is up
        self.episodes.list_at_start()
        if library.read_only:
            self.health.show_read_only(library.read_only)
        self.first_paint.then(self.entity_control.refresh_stale, self.health.check)

    def _build_layout(self) -> None:
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
        self.split = three_panes(self.library_view, self.reader, self.side)
        self.setCentralWidget(self.split)
        self.search = SearchPopup(lambda: self.searching, self, over=self.reader)

    def _build_status(self) -> None:
        self.status_label = QLabel("")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the import after the current file")
        self.status_label.setObjectName("library-summary")  # permanent: a message never hides it
        self.statusBar().addPermanentWidget(self.status_label)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.progress.hide(), self.cancel_button.hide()

    def new_job(self, args: list[str]):
        """A child job running `aiviewer ARGS` on this library (not started)."""
        return self.jobs(self.data_dir, args, self)

    # -- what tests, the benchmark and `app.py` reach the window by -----------------------

    @property
    def current_episode(self) -> str | None:
        return self.episodes.current

    @property
    def importing(self):
        return self.importing_control.job

    def open_episode(self, episode_id: str) -> float:
        return self.episodes.open(episode_id)

    def start_import(self, paths: list[str], seeds: bool = False) -> None:
        self.importing_control.start(paths, seeds)

    def request_restore(self, confirm: bool = True) -> None:
        self.health.request_restore(confirm)

    # -- actions ------------------------------------------------------------------------

    def _build_actions(self) -> None:
        menus = {name: self.menuBar().addMenu(f"&{name}") for name in MENUS}
        ann, ent, eps, imp = (self.annotating, self.entity_control, self.episodes,
                              self.importing_control)
        handlers = {
            "import_files": imp.import_files, "import_folder": imp.import_folder,
            "import_report": imp.show_report, "quit": self.close,
            "search": self.open_search, "find": self.reader.open_find,
            "find_next": self.reader.find_next, "find_previous": self.reader.find_previous,
            "palette": self.open_palette,
            "focus_library": lambda: self.library_view.list.setFocus(),
            "focus_reader": lambda: self.reader.view.setFocus(),
            "focus_entities": ent.focus_panel,
            "next_episode": lambda: self.library_view.step(1),
            "previous_episode": lambda: self.library_view.step(-1),
            "next_chapter": lambda: self.reader.chapter_step(1),
            "previous_chapter": lambda: self.reader.chapter_step(-1),
            "next_mention": lambda: ent.step_current(1),
            "previous_mention": lambda: ent.step_current(-1),
            "rename_speaker": self.turns.rename_speaker, "split_turn": self.turns.split_turn,
            "assign_speaker": self.turns.assign_speaker, "merge_turn": self.turns.merge_turn,
            "remove_episode": eps.remove_episode, "reveal_sources": eps.reveal_sources,
            "edit_details": self.details.edit, "zoom_reset": lambda: self.reader.zoom(0),
            "zoom_in": lambda: self.reader.zoom(1), "zoom_out": lambda: self.reader.zoom(-1),
            "theme_dark": self._on_theme_toggled, "toggle_entities": self.reader.set_highlights,
            "shortcuts": self.show_shortcuts, "about": self.show_about, "publish": ann.publish,
            "export_annotations": ann.export, "import_annotations": ann.import_file,
            "undo": ann.undo, "redo": ann.redo, "more_like_this": self.searching.more_like_this,
            "tag_selection": ann.tag_selection, "annotate_selection": ann.annotate_selection,
            "select_sentence": self.reader.extend_by_sentence, "reattach": ann.reattach,
            "annotation_browser": ann.open_browser, "focus_annotations": ann.focus_panel,
            "new_entity": ent.new, "insights": self.insight_control.open,
            **ent.suggestions.handlers(), **self.reading.handlers(), **ann.handlers(),
        }
        for spec in ACTIONS:
            action = QAction(spec.text, self)
            action.setObjectName(spec.id)
            single_key = [k for k in spec.keys if len(k) == 1 or k.startswith("Shift+") and
                          len(k) == 7]
            action.setShortcuts([QKeySequence(k) for k in spec.keys if k not in single_key])
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
            for k in single_key:  # plain keys act only where typing is not expected
                for widget in [self.reader.view] + (
                        [self.library_view.list] if spec.id == "shortcuts" else []):
                    if k.isalnum() or k.startswith("Shift+"):
                        QShortcut(QKeySequence(k), widget, action.trigger,
                                  context=Qt.ShortcutContext.WidgetShortcut)
                    else:  # "?" is Shift+/ on most layouts: matched by the text it types
                        TextKey(widget, k, action.trigger)
            self.actions_by_id[spec.id] = action
        self.actions_by_id["toggle_entities"].setChecked(True)
        self.annotating.update_undo_actions()

    # -- dialogs ------------------------------------------------------------------------

    def open_search(self) -> None:
        self.search.open()

    def open_palette(self) -> None:
        CommandPalette(self.actions_by_id, self).exec()

    def show_shortcuts(self) -> None:
        ShortcutSheet(self).exec()

    def show_about(self) -> None:
        QMessageBox.about(self, "About aiviewer", f"<h3>aiviewer {__version__}</h3><p>A reader "
                          f"and annotator for AI podcast transcripts.</p><p>Library: "
                          f"{self.data_dir}<br>{self.library.counts()['episodes']} episodes</p>")

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
        screen = QApplication.primaryScreen().availableGeometry().size()  # first start:
        self.resize(screen * 0.9 if screen.width() > 1400 else screen)  # most of the screen
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        split = s.value("splitter")
        if isinstance(split, QByteArray):
            self.reading.restore_split(split)
        self.reader.set_point_size(int(s.value("font_size", DEFAULT_POINT_SIZE)))
        self.apply_theme(str(s.value("theme", "system")))
        recent = s.value("recent_searches", [])
        self.search.recent = [str(q) for q in (recent if isinstance(recent, list) else [recent])
                              if q][:20]

    def restore_episode(self) -> None:
        """Reopen the episode and scroll position of the last session."""
        self.episodes.restore(self.settings.value("episode"),
                              int(self.settings.value("scroll", 0)))

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

    # -- window events ------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.search.isVisible():
            self.search.place()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.start_import(paths)

    def closeEvent(self, event) -> None:
        self.closing = True
        if self.annotating.browser is not None:  # a tool window of this one
            self.annotating.browser.close()
        self.insight_control.close()
        for job in (self.entity_control.refresher, self.entity_control.editing):
            if job is not None:
                job.wait(10000)
        self.importing_control.wait(10000)
        self.save_settings()
        self.tasks.wait(10000)
        super().closeEvent(event)
