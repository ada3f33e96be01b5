"""Lambda SnapStart: what a function does when it wakes from a snapshot instead of a cold start.

With SnapStart (``template.yaml``, ``SnapStart``), Lambda runs the imports and the module-level
setup once, when a version is published, and resumes every new execution environment from a
snapshot of that memory: the import cost leaves the cold start. A resumed copy must not reuse
what was meant to be unique or live: clients cached before the snapshot (their pooled
connections belong to the snapshot's moment; credentials come afresh from the container
provider SnapStart uses) and the ``random`` module's state, which every copy would share.
``uuid4`` and ``secrets`` read the OS at each call and are safe as they are.

The ``snapshot_restore_py`` library ships with Lambda's Python runtimes; elsewhere (local mode,
tests) there is nothing to register.
"""

from __future__ import annotations

import random


def after_restore() -> None:
    """Forget cached clients and draw new randomness (PMS retry jitter) for this copy."""
    from hotelvoice import aws  # here: importing it is not every function's business

    aws.reset_clients()
    random.seed()


def register() -> bool:
    """Register :func:`after_restore` with Lambda's runtime hooks; ``False`` outside Lambda."""
    try:
        from snapshot_restore_py import register_after_restore
    except ImportError:
        return False
    register_after_restore(after_restore)
    return True
