"""`newsdigest resummarise`: summaries recomputed from the stored clean articles, nothing fetched."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Any, TextIO

from newsdigest.cli import exits
from newsdigest.cli.common import print_json
from newsdigest.cli.target import add_target_arguments


def cmd_resummarise(args: argparse.Namespace, out: TextIO) -> int:
    from newsdigest.aws.maintenance import object_keys
    from newsdigest.aws.settings import get_settings
    from newsdigest.cli.progress import Progress
    from newsdigest.cli.target import open_target
    from newsdigest.pipeline.resummary import resummarise_object

    counts = {"summarised": 0, "skipped": 0, "failed": 0}
    with open_target(args) as target:
        settings = replace(get_settings(), table_name=target.table)
        if args.sentences:
            settings = replace(settings, summary_sentences=args.sentences)
        keys = list(object_keys(target.storage, target.articles_bucket, settings.articles_prefix))
        with Progress(len(keys), "resummarise", unit="articles", mode=args.progress) as shown:
            for key in keys:
                outcome = resummarise_object(
                    target.storage, settings, target.articles_bucket, key, method=args.method, site=args.site
                )
                shown.update(**{k: v for k, v in counts.items() if v})
                if outcome is None:
                    continue
                counts[outcome.status] += 1
                target.changed = target.changed or outcome.status == "summarised"
                print_json(outcome.to_dict(), out)
                if outcome.failed:
                    print(f"newsdigest: FAILED {key}: {outcome.reason}: {outcome.message}", file=sys.stderr)
    print(
        f"newsdigest: {counts['summarised']} rewritten, {counts['skipped']} already summarised this way, "
        f"{counts['failed']} failed",
        file=sys.stderr,
    )
    return exits.INPUT_FAILED if counts["failed"] else exits.OK


def register(sub: Any) -> None:
    from newsdigest.cli.progress import MODES

    cmd = sub.add_parser(
        "resummarise",
        help="recompute the summaries from the stored clean articles (nothing is fetched again)",
    )
    cmd.add_argument(
        "--method",
        help="summariser: default, lead, lexrank, textrank, lsa, luhn, edmundson, kl, sumbasic, reduction "
        "(default: the stack's SUMMARY_METHOD)",
    )
    cmd.add_argument(
        "--sentences", type=int, metavar="N", help="sentences per summary (default: the method's)"
    )
    cmd.add_argument("--site", help="only the articles of this site (its name or host, e.g. tass.com)")
    cmd.add_argument(
        "--progress", choices=MODES, help="progress on stderr (default: a bar on a terminal, lines otherwise)"
    )
    add_target_arguments(cmd)
    cmd.set_defaults(func=cmd_resummarise)
