"""``invfut compare``'s tables (:mod:`.table`); the command, its input model, rows, document
and ``--explain`` lines are :mod:`invfut_cli.commands.compare`."""
