"""``invfut compare``'s parts that are not the command itself: the option model
(:mod:`.inputs`), the venues' rows (:mod:`.rows`), the document (:mod:`.document`) and the
tables (:mod:`.table`). The command, its ``run`` and its ``--explain`` lines are
:mod:`invfut_cli.commands.compare`."""
