"""Runtime: first start loads the bundled catalogue; reload is all or nothing."""

from __future__ import annotations

from pathlib import Path

from bot.core.context import Context
from bot.runtime import Runtime


def test_first_start_loads_catalogue_and_reload_keeps_old_on_error(
        settings_for, database_url: str, small_catalogue_dir: Path) -> None:
    rt = Runtime.open(settings_for(database_url, small_catalogue_dir))
    version = rt.kb.version
    assert rt.catalogues.version() == version
    assert rt.answer("ruoka-apu Turussa", Context()).results[0].service.id == "test-ruoka-apu"

    bad = small_catalogue_dir / "services" / "municipal.yaml"
    bad.write_text(bad.read_text().replace("topics: [food_aid]", "topics: [food]"))
    result = rt.reload(small_catalogue_dir)
    assert not result.ok and "unknown topic 'food'" in str(result.errors[0])
    assert rt.kb.version == version == rt.catalogues.version()
    assert rt.answer("ruoka-apu Turussa", Context()).results[0].service.id == "test-ruoka-apu"

    bad.write_text(bad.read_text().replace("topics: [food]", "topics: [food_aid]").replace(
        "Ruokakasseja tiistaisin.", "Ruokakasseja keskiviikkoisin."))
    result = rt.reload(small_catalogue_dir)
    assert result.ok and result.services == 6 and rt.kb.version != version
    rt.close()


def test_second_replica_picks_up_reload(settings_for, pg_url: str, small_catalogue_dir: Path) -> None:
    a = Runtime.open(settings_for(pg_url, small_catalogue_dir))
    b = Runtime.open(settings_for(pg_url, small_catalogue_dir))
    assert not b.refresh_if_changed()
    p = small_catalogue_dir / "services" / "municipal.yaml"
    p.write_text(p.read_text().replace("Ruoka-apu", "Ruoka-apu ja yhteisöateria"))
    assert a.reload(small_catalogue_dir).ok
    assert b.refresh_if_changed() and b.kb.version == a.kb.version
    a.close()
    b.close()


def test_replicas_starting_together_on_empty_postgres(settings_for, pg_url: str,
                                                      small_catalogue_dir: Path) -> None:
    """Two replicas racing on an empty database: one migrates and loads, both serve."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import text

    with ThreadPoolExecutor(2) as pool:
        runtimes = list(pool.map(lambda _: Runtime.open(settings_for(pg_url, small_catalogue_dir)),
                                 range(2)))
    assert runtimes[0].kb.version == runtimes[1].kb.version
    with runtimes[0].db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM services")).scalar() == 6
        assert c.execute(text("SELECT count(*) FROM catalogue_state")).scalar() == 1
    for rt in runtimes:
        rt.close()
