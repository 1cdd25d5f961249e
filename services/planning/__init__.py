"""planning — the annual plan and every procedural deadline (годишен план и срокове)."""
