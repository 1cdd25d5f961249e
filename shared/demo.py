"""Loading the demo school once (демонстрационно училище), for newcomers and trainings."""

from __future__ import annotations

import logging

from shared.bootstrap import Process

log = logging.getLogger(__name__)

MARKER = "demo-loaded"


def load_demo_once(process: Process) -> bool:
    """Run each service's demo loader, in service order, unless it ran before on this data dir."""
    marker = process.settings.data_dir / MARKER
    if marker.exists():
        log.info("демонстрационните данни вече са заредени")
        return False
    for runtime in process.runtimes:
        if runtime.definition.load_demo is not None:
            runtime.definition.load_demo(runtime)
    marker.write_text("1", encoding="ascii")
    log.info("заредено е демонстрационното училище")
    return True
