"""Exit statuses of every ``newsdigest`` command (README: The newsdigest command)."""

from __future__ import annotations

#: Every input ended ``ok``.
OK = 0
#: Some input failed (recorded with its reason); the others were processed.
INPUT_FAILED = 1
#: The command line was wrong (argparse's own status for usage errors).
USAGE = 2
#: The infrastructure failed: AWS or the local endpoint unreachable, credentials missing, a stack or
#: queue not found, or no result within --timeout.
INFRASTRUCTURE = 3

EPILOG = """\
exit status:
  0  every input ok
  1  some input failed (each is named on stderr with its reason)
  2  usage error
  3  infrastructure: AWS or the endpoint unreachable, no credentials, stack or queue not found,
     no result within --timeout"""


class UsageError(Exception):
    """A command line that parses but cannot be acted on (no template found, bad combination)."""


class InfrastructureError(Exception):
    """Something the command relies on failed, not the input (ends with status 3)."""
