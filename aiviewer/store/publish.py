"""The library file as a team's read-only window through Datasette: the metadata
file (`aiviewer publish`) with canned queries over the store's own tables.

Datasette serves the SQLite file as it is, opened read-only; what it needs from
us is a metadata file that names the useful questions, since our schema splits an
annotation over `annotations`, `annotation_tags` and `tags`, and a passage over
`segments`, `episodes` and `shows`.  The queries live here because they are SQL
(the store owns every statement); they take named parameters, which Datasette
shows as a form.  `fts_segments` is found by Datasette itself (its declaration,
see store/fts.py), so `/library/segments?_search=GRPO` works too.
"""

from __future__ import annotations

from pathlib import Path

_PASSAGE = """
    SELECT e.title AS episode, sh.title AS show, e.date, COALESCE(sp.name, s.speaker) AS speaker,
           s.start_ms, s.text, e.url, s.episode_id, s.id AS segment_id
"""
_FROM_PASSAGE = """
    FROM segments s
    JOIN episodes e ON e.id = s.episode_id
    LEFT JOIN shows sh ON sh.id = e.show_id
    LEFT JOIN speakers sp ON sp.episode_id = s.episode_id AND sp.label = s.speaker
"""

QUERIES = {
    "annotations": {
        "title": "Annotations with their tags and quotes",
        "description": "Every annotation, newest first; give a tag (method/RL also finds "
                       "method/RL/GRPO) or leave it empty for all.",
        "sql": """
SELECT a.id, e.title AS episode, sh.title AS show, e.date, a.exact AS quote,
       (SELECT group_concat(t.name, ', ') FROM annotation_tags at
          JOIN tags t ON t.id = at.tag_id WHERE at.annotation_id = a.id) AS tags,
       a.note_md AS note, a.status, a.created, a.modified, a.start, a.end, e.url
FROM annotations a
LEFT JOIN episodes e ON e.id = a.episode_id
LEFT JOIN shows sh ON sh.id = e.show_id
WHERE :tag = '' OR EXISTS (
    SELECT 1 FROM annotation_tags at JOIN tags t ON t.id = at.tag_id
    WHERE at.annotation_id = a.id AND (t.name = :tag OR t.name LIKE :tag || '/%'))
ORDER BY a.modified DESC
LIMIT 1000""".strip(),
    },
    "passages_by_entity": {
        "title": "Passages that mention an entity",
        "description": "The passages where a model, lab, person, benchmark or technique is "
                       "mentioned (its canonical name, e.g. DeepSeek), in transcript order.",
        "sql": (_PASSAGE + ", group_concat(DISTINCT m.surface) AS said_as" + _FROM_PASSAGE
                + """    JOIN mentions m ON m.segment_id = s.id
WHERE m.entity = :entity COLLATE NOCASE
GROUP BY s.id
ORDER BY e.date DESC, s.episode_id, s.seq
LIMIT 1000""").strip(),
    },
    "search": {
        "title": "Search the transcripts",
        "description": "Full-text search (SQLite FTS5, stemmed: model finds models; "
                       '"exact phrase", OR, NOT, prefix*), best matches first.',
        "sql": (_PASSAGE + _FROM_PASSAGE + """    JOIN fts_segments f ON f.rowid = s.id
WHERE fts_segments MATCH :q
ORDER BY f.rank
LIMIT 200""").strip(),
    },
}


def metadata(library_file: str | Path) -> dict:
    """Datasette metadata for the library file: a title, the canned queries, and the
    derived tables a reader does not need hidden."""
    name = Path(library_file).stem
    hidden = ("episode_fingerprints", "meta", "sources", "episode_sources", "_sqlite_migrations",
              "fts_vocab")
    return {
        "title": "aiviewer library",
        "description": "AI podcast transcripts with their annotations, read-only. "
                       "Search passages with the 'search' query or ?_search= on segments.",
        "databases": {name: {
            "queries": QUERIES,
            "tables": {
                **{t: {"hidden": True} for t in hidden},
                "segments": {"fts_table": "fts_segments", "fts_pk": "id",
                             "searchmode": "escaped",
                             "size": 50},
            },
        }},
    }
