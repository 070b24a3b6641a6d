"""What a command is given, validated into pydantic models: the fields and the percent rule
(:mod:`.fields`), a position (:mod:`.position`), its liquidation rule (:mod:`.margin`), its
fees and funding (:mod:`.fees`) and a price grid (:mod:`.grid`). A command's own input model
is in its command module and builds on these."""
