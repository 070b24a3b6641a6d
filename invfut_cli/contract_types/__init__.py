"""Linear and quanto positions in ``pnl``, ``liq-price`` and ``ladder`` (DOMAIN.md §15): their
documents, built with the inverse documents' keys (amounts in the margin currency the
document names), and ``ladder --versus``."""
