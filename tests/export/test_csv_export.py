from __future__ import annotations

import csv
import io

from aiviewer.export import csv_export


def test_one_row_per_annotation(annotations, tags):
    rows = list(csv.DictReader(io.StringIO(csv_export.render(annotations, tags))))
    assert len(rows) == len(annotations)
    assert list(rows[0])[:11] == ["episode", "show", "date", "speaker", "start", "quote", "tags",
                                  "note", "id", "created", "modified"]
    by_id = {r["id"]: r for r in rows}
    first = by_id[annotations[0].id]
    assert first["start"] == "0:12:34"
    assert first["tags"] == "method/RL/GRPO; open questions"
    assert first["quote"] == annotations[0].exact  # text is data here, kept verbatim
    assert first["note"] == annotations[0].note_md
    assert first["episode_id"] == "yt-abc123" and first["date"] == "2025-01-02"


def test_formula_cells_are_defused(annotations):
    rows = list(csv.DictReader(io.StringIO(csv_export.render(annotations))))
    note = next(r["note"] for r in rows if r["id"] == "not-a-uuid/odd id")
    assert note == "'=SUM(A1:A9) plain note"


def test_line_endings_and_embedded_newlines(annotations):
    out = csv_export.render(annotations)
    assert "\r" not in out
    rows = list(csv.reader(io.StringIO(out)))
    assert any("\n\n" in cell for row in rows for cell in row)  # quoted, not split


def test_bom_for_excel(annotations):
    import csv as csv_lib
    import io

    from aiviewer.export import csv_export
    text = csv_export.render(annotations, bom=True)
    assert text.startswith("\ufeffepisode,") and not csv_export.render(annotations).startswith("\ufeff")
    rows = list(csv_lib.reader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"))))
    assert rows[0][0] == "episode" and len(rows) == len(annotations) + 1
