"""``invfut account``'s parts that are not the command itself: the account file
(:mod:`.file`), the document (:mod:`.document`) and the table (:mod:`.table`). The command,
its option model and its call into the core are :mod:`invfut_cli.commands.account`."""
