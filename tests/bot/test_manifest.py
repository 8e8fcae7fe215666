"""The manifest names exactly what the app registers, and only the scopes the code uses."""

from pathlib import Path

import yaml

MANIFEST = yaml.safe_load((Path(__file__).parents[2] / "slack" / "manifest.yml").read_text())


def test_manifest_commands_and_shortcuts_have_listeners() -> None:
    listeners = "\n".join(p.read_text() for p in
                           (Path(__file__).parents[2] / "bot" / "listeners").glob("*.py"))
    for command in MANIFEST["features"]["slash_commands"]:
        assert f'app.command("{command["command"]}")' in listeners
    for shortcut in MANIFEST["features"]["shortcuts"]:
        assert f'app.shortcut("{shortcut["callback_id"]}")' in listeners


def test_scopes_cover_the_web_api_methods_used() -> None:
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert scopes == {"commands", "chat:write", "im:write", "files:write"}
    source = "\n".join(p.read_text() for p in Path(__file__).parents[2].glob("*/**/*.py")
                       if "tests" not in p.parts and ".venv" not in p.parts)
    assert "conversations_open" in source and "files_upload_v2" in source
    assert "users_info" not in source  # would need users:read
