"""The parsed catalog is cached as JSON (derived data): a damaged or unwritable cache
only costs the TOML parse again, and a changed catalog never reads a stale cache."""

from __future__ import annotations

from aiviewer.entities.catalog import catalog_dir, load_catalog


def test_a_damaged_cache_is_parsed_again_and_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("AIVIEWER_CACHE_DIR", str(tmp_path))
    first = load_catalog()
    (cache,) = tmp_path.glob("catalog-*.json")
    cache.write_text("{not json", encoding="utf-8")
    again = load_catalog()
    assert again.entries == first.entries and again.version == first.version
    assert cache.read_text(encoding="utf-8").startswith("{\"")


def test_an_unwritable_cache_directory_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("AIVIEWER_CACHE_DIR", str(blocker / "sub"))
    assert len(load_catalog().entries) > 1000


def test_a_changed_catalog_gets_its_own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AIVIEWER_CACHE_DIR", str(tmp_path / "cache"))
    mine = tmp_path / "catalog"
    mine.mkdir()
    for path in catalog_dir().glob("*.toml"):
        (mine / path.name).write_bytes(path.read_bytes())
    before = load_catalog(mine)
    (mine / "zz_extra.toml").write_text(
        'kind = "model"\n[[entities]]\nname = "Zorblax-9"\n', encoding="utf-8")
    after = load_catalog(mine)
    assert len(after.entries) == len(before.entries) + 1
    assert after.version != before.version
    assert len(list((tmp_path / "cache").glob("catalog-*.json"))) == 2
