"""What the window's dialogs offer and what a choice in them means, worked out
without Qt or the library: the export formats and the file name an export gets,
and the speakers an episode's rename picker lists."""

from __future__ import annotations

from aiviewer.model import Episode

# the save dialog's filters, each with the export format it means
EXPORT_FILTERS = {
    "Markdown (*.md)": "markdown", "CSV (*.csv)": "csv",
    "CSV for Excel on Windows, with BOM (*.csv)": "csv-bom",
    "W3C Web Annotation JSON-LD (*.jsonld)": "w3c",
    "REFI-QDA project (*.qdpx)": "qdpx", "HTML page (*.html)": "html",
}


def export_target(path: str, chosen_filter: str) -> tuple[str, str]:
    """The format a save-dialog filter names, and `path` with that format's
    extension (added when the user typed a name without it)."""
    if chosen_filter not in EXPORT_FILTERS:
        chosen_filter = next(iter(EXPORT_FILTERS))
    ext = chosen_filter.split("*")[1].rstrip(")")
    return EXPORT_FILTERS[chosen_filter], path if path.endswith(ext) else path + ext


def speaker_choices(episode: Episode) -> list[tuple[str, str]]:
    """(label, what the picker shows) for each speaker of the episode: the labels
    already named first-come, else every label its turns use."""
    labels = list(episode.speaker_names) or sorted(
        {s.speaker_label for s in episode.segments if s.speaker_label})
    return [(lab, f"{lab}  →  {episode.speaker_names.get(lab, lab)}") for lab in labels]
