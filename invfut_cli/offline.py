"""``invfut --offline`` (or ``INVFUT_OFFLINE=1``): the shipped presets only, whatever rules
``exchanges --refresh`` cached. Set by the app's root callback; read by
:func:`invfut_cli.venues.refreshed.stamp`."""

from __future__ import annotations

OFFLINE = False
