"""Lambda SnapStart runtime hooks: nothing stale may survive from the snapshot into a restored sandbox.

With SnapStart (template.yaml: ``SnapStart: ApplyOn: PublishedVersions``) Lambda runs the init phase
once per published version, snapshots the memory and restores copies of it for later cold starts.
Whatever init captured is then shared by every restored sandbox, possibly days later:

* ``random``'s state: every sandbox would draw the same "random" numbers (botocore's retry jitter,
  anything else using :mod:`random`). It is reseeded from ``os.urandom``.
* AWS credentials resolved during init and cached by boto3's session, and the clients built on them
  with their open connection pools. The default session is replaced by a fresh one that shares the old
  one's data loader (so parsed service models stay warm and re-creating clients is cheap), the clients
  held by every :class:`~newsdigest.aws.storage.Storage` are dropped (they are re-created lazily, from the
  fresh session), and each tracked Powertools idempotency persistence layer gets a new DynamoDB client.

Before the snapshot, the hooks prime what every request needs (the clients, and modules the handlers
import lazily), so a restored sandbox starts with them loaded.

``snapshot_restore_py`` exists only in Lambda's Python runtime; elsewhere :func:`register` is a no-op,
and the hook functions stay callable (tests call them directly).
"""

from __future__ import annotations

import importlib
import random
import weakref
from collections.abc import Iterable
from typing import Any

#: Objects with a ``reset_clients()`` method (Storage instances register themselves).
_resettable: weakref.WeakSet[Any] = weakref.WeakSet()
#: Powertools idempotency persistence layers (their boto3 client is the ``client`` attribute).
_persistence_layers: weakref.WeakSet[Any] = weakref.WeakSet()
#: Modules imported before the snapshot.
_warm_imports: list[str] = []
_state = {"registered": False}


def track(obj: Any) -> Any:
    """Reset ``obj`` after a restore: it must have ``reset_clients()`` and may have ``prime()``."""
    _resettable.add(obj)
    return obj


def track_persistence_layer(layer: Any) -> Any:
    """Give a Powertools ``DynamoDBPersistenceLayer`` a fresh DynamoDB client after a restore."""
    _persistence_layers.add(layer)
    return layer


def before_snapshot() -> None:
    """Load what the first request would otherwise load: lazily imported modules and boto3 clients."""
    for name in _warm_imports:
        importlib.import_module(name)
    for obj in list(_resettable):
        prime = getattr(obj, "prime", None)
        if prime is not None:
            prime()


def after_restore() -> None:
    """Make the restored sandbox unique and give it fresh credentials, clients and connections."""
    random.seed()  # from os.urandom
    session = _fresh_default_session()
    for obj in list(_resettable):
        obj.reset_clients()
    for layer in list(_persistence_layers):
        config = getattr(getattr(layer, "client", None), "meta", None)
        layer.client = session.client("dynamodb", config=getattr(config, "config", None))


def _fresh_default_session() -> Any:
    """Replace boto3's default session (credentials are cached there) by one sharing its data loader."""
    import boto3
    import botocore.session

    fresh = botocore.session.get_session()
    old = boto3.DEFAULT_SESSION
    if old is not None:
        fresh.register_component("data_loader", old._session.get_component("data_loader"))
    boto3.setup_default_session(botocore_session=fresh)
    return boto3.DEFAULT_SESSION


def register(*, warm_imports: Iterable[str] = ()) -> bool:
    """Register the hooks with the Lambda runtime once; False when not running under SnapStart's runtime."""
    _warm_imports.extend(m for m in warm_imports if m not in _warm_imports)
    if _state["registered"]:
        return True
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ImportError:  # not in Lambda's Python runtime (tests, local runs)
        return False
    register_before_snapshot(before_snapshot)
    register_after_restore(after_restore)
    _state["registered"] = True
    return True
