"""The rule packs shipped with the register (пакети правила): ``default.yaml``, the rulebook's defaults."""
