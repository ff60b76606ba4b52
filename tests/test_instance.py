"""The console script shares `dg dev`'s Dagster instance: DAGSTER_HOME, else the project's dagster_home/."""

from pathlib import Path

from assets import instance as instance_module

ROOT = Path(__file__).resolve().parents[1]


def test_without_dagster_home_the_project_folder_make_dev_uses_is_the_instance(monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert instance_module.shared_home() == ROOT / "dagster_home"


def test_an_installed_copy_without_the_folder_has_no_instance_to_share(monkeypatch, tmp_path):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setattr(instance_module, "PROJECT_HOME", tmp_path / "absent")
    assert instance_module.shared_home() is None and instance_module.shared_instance() is None


def test_a_new_home_gets_the_projects_one_writer_limit(monkeypatch, tmp_path):
    home = tmp_path / "new" / "home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = instance_module.shared_instance()
    try:
        assert (home / "dagster.yaml").read_text() == (ROOT / "dagster_home" / "dagster.yaml").read_text()
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
        assert not instance.get_runs()
    finally:
        instance.dispose()
    # A home with its own configuration keeps it.
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    instance_module.shared_instance().dispose()
    assert (home / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"
