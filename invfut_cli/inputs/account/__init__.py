"""An account, as the commands that read one are given it (``account``, ``watch``, and the
live reader): the account file (:mod:`.file`), its positions as core holdings
(:mod:`.holdings`), the options' model (:mod:`.model`) and the margin rules (:mod:`.rule`)."""
