"""One function's execution environment in a process of its own, so that its timeout can be enforced.

    python -m newsdigest.local.worker CODE_DIR MODULE HANDLER

The local runtime starts one per function when it enforces timeouts. The worker imports the handler
(its cold start), says ``{"ready": true}``, then answers one invocation per line of stdin
(``{"event": ..., "context": {...}}``) with one line: ``{"result": ...}`` or ``{"error": ...}``.
Replies go to the stdout it was started with; the handler's own output (Powertools writes logs and
metrics to stdout) is sent to stderr, so nothing it prints can be mistaken for a reply.

Lambda ends an invocation that outlives its timeout by stopping the environment, whatever the code is
doing (even inside one long C call): the runtime does the same by killing this process, and starts a
new one (a new cold start) for the next invocation.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any


def serve(code_dir: Path, module: str, handler_name: str) -> int:
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # the handler's stdout is stderr from here on
    from newsdigest.aws import snapstart
    from newsdigest.local.runtime import FakeLambdaContext, load_handler

    handler = load_handler(code_dir / f"{module}.py", handler_name)
    snapstart.before_snapshot()  # the template publishes SnapStart versions: their init imports these
    replies.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        context = FakeLambdaContext(**request["context"])
        reply: dict[str, Any]
        try:
            reply = {"result": handler(request["event"], context)}
        except Exception as exc:  # reported to the caller, as Lambda reports a function error
            reply = {"error": type(exc).__name__, "message": str(exc), "trace": traceback.format_exc()}
        replies.write(json.dumps(reply, default=str) + "\n")
    return 0


if __name__ == "__main__":
    code_dir, module, handler_name = sys.argv[1:4]
    sys.exit(serve(Path(code_dir), module, handler_name))
