"""Pages to feed the pipeline and the bookkeeping that proves nothing was lost.

Shared by the fault tests and ``benchmarks/load.py``: generated news pages (varied, deterministic per
seed, some deliberately unusable), uploads straight to the raw bucket, and a reconciliation of inputs
against DynamoDB items and dead letters.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote_plus

from newsdigest.pipeline.inputs import Source

_WORDS = (  # noqa: SIM905 - a paragraph is easier to read and edit than 150 quoted words
    "government minister officials said report economy market prices growth year percent billion "
    "million company shares investors analysts expected forecast quarter results revenue profit loss "
    "city council residents plans project construction housing transport rail road bridge airport "
    "weather storm rain flooding emergency services police investigation court judge trial ruling "
    "election voters campaign party candidate parliament law bill vote majority opposition leader "
    "health hospital doctors patients vaccine study researchers university scientists data climate "
    "energy oil gas electricity wind solar power grid supply demand exports imports trade agreement "
    "talks negotiations summit president prime foreign security defence military border region "
    "farmers harvest grain wheat crop drought season record production ministry agency spokesman "
    "technology software internet users network service launch product customers industry workers "
    "union strike wages jobs unemployment inflation interest rate bank central policy budget tax "
    "school teachers students education children families community local national international"
).split()
_NAMES = (
    "Anna Petrova",
    "James Miller",
    "Li Wei",
    "Maria Garcia",
    "Tom O'Brien",
    "Sara Novak",
    "Omar Haddad",
)
_SITES = ("Daily Courier", "Northern Times", "Metro Wire", "Harbour Gazette", "Valley Post")
_PLACES = ("LONDON", "MOSCOW", "NAIROBI", "OTTAWA", "SYDNEY", "LIMA", "OSLO")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(9, 22))]
    if rng.random() < 0.4:
        words.insert(rng.randint(0, len(words)), str(rng.randint(2, 990)))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".....?")


def article_page(seed: int) -> bytes:
    """A news article page with site chrome around it; distinct and deterministic for each seed."""
    rng = random.Random(seed)
    site = rng.choice(_SITES)
    title = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 10))).capitalize() + f" ({seed})"
    author = rng.choice(_NAMES)
    day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    paragraphs = []
    for index in range(rng.randint(5, 12)):
        text = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        if index == 0:
            text = f"{rng.choice(_PLACES)}, {day}. {text}"
        paragraphs.append(f"<p>{text}</p>")
    related = "".join(
        f'<li><a href="/news/{rng.randint(1000, 9999)}">{_sentence(rng)[:60]}</a></li>' for _ in range(5)
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">
<meta name="author" content="{author}"><meta property="article:published_time" content="{day}T08:30:00Z">
<link rel="canonical" href="https://news.example/{seed}/story"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a>
<a href="/sport">Sport</a> <a href="/login">Sign in</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By {author}</p><time datetime="{day}">{day}</time>
{"".join(paragraphs)}
</article><aside><h2>Read also</h2><ul>{related}</ul></aside></main>
<footer><p>Subscribe to our newsletter</p><p>&copy; 2024 {site}. All rights reserved.</p></footer>
</body></html>""".encode()


def broken_page(seed: int) -> bytes:
    """Unusable inputs that must end as failed items, not vanish: empty, blank, chrome only, binary."""
    kind = seed % 4
    if kind == 0:
        return b""
    if kind == 1:
        return b"  \n\t  " * (seed % 7 + 1)
    if kind == 2:
        return (
            f"<html><head><title>Index {seed}</title></head><body><nav><a href='/'>Home</a>"
            f"<a href='/a'>A</a></nav><footer>All rights reserved {seed}</footer></body></html>"
        ).encode()
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(2048))


def pages(count: int, *, broken_every: int = 0, offset: int = 0) -> list[tuple[str, bytes, bool]]:
    """``count`` distinct (key, body, usable) triples; every ``broken_every``-th is unusable."""
    out = []
    for i in range(offset, offset + count):
        if broken_every and i % broken_every == broken_every - 1:
            out.append((f"uploads/broken/{i:06d}.html", broken_page(i // broken_every), False))
        else:
            out.append((f"uploads/news/{i:06d}.html", article_page(i), True))
    return out


def upload(s3: Any, bucket: str, items: Iterable[tuple[str, bytes, bool | None]]) -> dict[str, str]:
    """Put each page in the raw bucket; returns article_id -> key (one item is expected per key)."""
    ids = {}
    for key, body, _usable in items:
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="text/html")
        ids[Source.from_s3(bucket, key).article_id] = key
    return ids


def scan_items(table: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"ConsistentRead": True}
    while True:
        page = table.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def drain(sqs: Any, queue_url: str, *, max_rounds: int = 1000) -> list[dict[str, Any]]:
    """Every message on a queue (hidden for a minute while counting), bounded."""
    messages: list[dict[str, Any]] = []
    for _ in range(max_rounds):
        batch = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=60, AttributeNames=["All"]
        ).get("Messages", [])
        if not batch:
            break
        messages.extend(batch)
    return messages


def queue_depth(sqs: Any, queue_url: str) -> int:
    attrs = sqs.get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])


def dead_letter_ids(messages: Iterable[dict[str, Any]], articles_prefix: str = "articles/") -> list[str]:
    """Article id named by each dead-lettered S3 notification (raw upload or article document)."""
    ids = []
    for message in messages:
        try:
            records = json.loads(message["Body"]).get("Records", [])
        except (ValueError, AttributeError):
            ids.append(f"unparseable:{message.get('MessageId')}")
            continue
        for record in records:
            bucket = record["s3"]["bucket"]["name"]
            key = unquote_plus(record["s3"]["object"]["key"])
            if key.startswith(articles_prefix):
                ids.append(PurePosixPath(key).stem)
            else:
                ids.append(Source.from_s3(bucket, key).article_id)
    return ids


@dataclass
class Reconciliation:
    inputs: int
    ok: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    dead_letter_only: set[str] = field(default_factory=set)  # a dead letter and no item
    dead_letters: int = 0
    unaccounted: set[str] = field(default_factory=set)
    stray: set[str] = field(default_factory=set)  # items no input explains
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        return (
            not self.unaccounted
            and not self.stray
            and (self.inputs == len(self.ok) + len(self.failed) + len(self.dead_letter_only))
        )

    def summary(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "ok_items": len(self.ok),
            "failed_items": len(self.failed),
            "dead_letters": self.dead_letters,
            "dead_letter_only": len(self.dead_letter_only),
            "unaccounted": len(self.unaccounted),
            "stray_items": len(self.stray),
            "failure_reasons": dict(sorted(self.reasons.items())),
        }


def reconcile(inputs: dict[str, str], items: list[dict[str, Any]], dead_letters: list[str]) -> Reconciliation:
    """inputs = ok items + failed items + inputs known only from a dead letter; the rest is unaccounted."""
    result = Reconciliation(inputs=len(inputs), dead_letters=len(dead_letters))
    by_id = {item["article_id"]: item for item in items}
    for item in items:
        if item["article_id"] not in inputs:
            result.stray.add(item["article_id"])
    dead = set(dead_letters)
    for article_id in inputs:
        found = by_id.get(article_id)
        if found is not None and found.get("status") == "ok":
            result.ok.add(article_id)
        elif found is not None and found.get("status") == "failed":
            result.failed.add(article_id)
            reason = str(found.get("reason"))
            result.reasons[reason] = result.reasons.get(reason, 0) + 1
        elif article_id in dead:
            result.dead_letter_only.add(article_id)
        else:
            result.unaccounted.add(article_id)
    return result
