"""The SettingsStore contract, run against every adapter."""

from __future__ import annotations

import pytest

from bagboard.domain.model import BrowseMode, ServerSettings
from bagboard.ports.settings_store import SettingsStore


def test_defaults_apply_until_something_is_saved(settings_store: SettingsStore) -> None:
    assert settings_store.load() == ServerSettings()


@pytest.mark.parametrize("mode", list(BrowseMode))
def test_saved_settings_load_back(settings_store: SettingsStore, mode: BrowseMode) -> None:
    settings_store.save(ServerSettings(browse_mode=mode))
    assert settings_store.load() == ServerSettings(browse_mode=mode)


def test_a_later_save_replaces_the_earlier_one(settings_store: SettingsStore) -> None:
    settings_store.save(ServerSettings(browse_mode=BrowseMode.FILESYSTEM))
    settings_store.save(ServerSettings(browse_mode=BrowseMode.METADATA))
    settings_store.save(ServerSettings(browse_mode=BrowseMode.FILESYSTEM))
    assert settings_store.load().browse_mode is BrowseMode.FILESYSTEM
