"""The workbench's pre-flight lines (``GET /api/preflight``): what a run on the chosen target starts or reads."""

from __future__ import annotations

import shutil
from pathlib import Path

from syncproof.ui.app import _preflight

ROOT = Path(__file__).resolve().parents[2]


def _lines(root: Path, target: str) -> dict[str, str]:
    return {line["system"]: line["detail"] for line in _preflight(root, None, target, "engine")}


def test_the_sandbox_line_names_every_enabled_channels_emulator(tmp_path):
    detail = _lines(tmp_path, "sandbox")["sandbox"]
    assert detail.startswith("NetSuite, Shopify, Amazon, WooCommerce and eBay emulators start on loopback"), detail
    (tmp_path / "syncproof.toml").write_text('[project]\ngo_live = "2026-01-05"\n\n[ebay]\nenabled = false\n')
    detail = _lines(tmp_path, "sandbox")["sandbox"]
    assert "eBay" not in detail and detail.startswith("NetSuite, Shopify, Amazon and WooCommerce emulators"), detail


def test_the_replay_line_counts_the_cassettes_in_their_feature_folders(tmp_path):
    for folder, names in {"refund_settings": ["a", "b"], "amazon_settlement": ["c"]}.items():
        (tmp_path / "cassettes" / folder).mkdir(parents=True)
        for name in names:
            shutil.copy(next((ROOT / "cassettes").rglob("*.yaml")), tmp_path / "cassettes" / folder / f"{name}.yaml")
    assert _lines(tmp_path, "replay")["replay"].startswith("3 cassettes in ")
