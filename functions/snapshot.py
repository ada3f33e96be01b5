"""Lambda SnapStart: what a function does when it wakes from a snapshot instead of a cold start.

With SnapStart (``template.yaml``, ``SnapStart``), Lambda runs the imports and the module-level
setup once, when a version is published, and resumes every new execution environment from a
snapshot of that memory: the import cost leaves the cold start. A resumed copy must not reuse
what was meant to be unique or live: clients cached before the snapshot (their pooled
connections belong to the snapshot's moment; credentials come afresh from the container
provider SnapStart uses) and the ``random`` module's state, which every copy would share.
``uuid4`` and ``secrets`` read the OS at each call and are safe as they are.

A fresh process imports only what a request needs (boto3, PyJWT, cryptography, the PMS
vendors and numpy load with the first request that uses them: a request refused at the door
never pays for them). With SnapStart, the before-snapshot hook imports them once at
publication instead, so a resumed copy's first real request finds them loaded
(:data:`WARM_ON_PUBLISH`, :func:`warm_also`). Importing is all it does: no client,
connection or secret is made before the snapshot.

The ``snapshot_restore_py`` library ships with Lambda's Python runtimes; elsewhere (local mode,
tests) there is nothing to register.
"""

from __future__ import annotations

import importlib
import random

WARM_ON_PUBLISH: list[str] = [
    "boto3",
    "boto3.dynamodb.conditions",
    "boto3.dynamodb.types",
    "botocore.config",
    "jwt",
    "cryptography.hazmat.primitives.ciphers.aead",
]
"""What every function's first real request imports: AWS's SDK, the token checker and the
cipher that seals personal data."""


def warm_also(*modules: str) -> None:
    """A function's own lazily imported modules, for the snapshot to hold too."""
    WARM_ON_PUBLISH.extend(m for m in modules if m not in WARM_ON_PUBLISH)


def before_snapshot() -> None:
    """Import what the first requests will need, so that the snapshot holds it."""
    for module in WARM_ON_PUBLISH:
        importlib.import_module(module)


def after_restore() -> None:
    """Forget cached clients and draw new randomness (PMS retry jitter) for this copy."""
    from hotelvoice import aws  # here: importing it is not every function's business

    aws.reset_clients()
    random.seed()


def register() -> bool:
    """Register both hooks with Lambda's runtime; ``False`` outside Lambda."""
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ImportError:
        return False
    register_before_snapshot(before_snapshot)
    register_after_restore(after_restore)
    return True
