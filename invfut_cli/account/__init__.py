"""``invfut account``'s parts that are not the command itself: the option model
(:mod:`.inputs`), the account file (:mod:`.file`), its positions as core holdings
(:mod:`.holdings`), the calls into the core (:mod:`.compute`) and what they give
(:mod:`.outcome`), the document (:mod:`.document`) and the table (:mod:`.table`). The
command, its ``run`` and its ``--explain`` lines are :mod:`invfut_cli.commands.account`."""
