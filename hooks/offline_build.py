"""MkDocs adapter for the offline copy of the hub (issue 12). Events in, calls into ``councillor_hub``.

Material's offline plugin (mkdocs.yml; on only when COUNCILLOR_HUB_OFFLINE=true) adds the
iframe-worker shim from unpkg.com unless ``extra.polyfills`` already lists one
(squidfunk/mkdocs-material#6181). This hook lists the vendored copy first, so the offline copy
never asks the network for anything. It runs before the plugin's own ``on_config`` (priority 50;
plugins and hooks.hub run at 0). The rest is in ``councillor_hub.offline``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from councillor_hub.offline import SHIM, offline_plugin_enabled

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@event_priority(50)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if offline_plugin_enabled(config.plugins):
        others = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
        config.extra["polyfills"] = [SHIM, *others]
    return config
