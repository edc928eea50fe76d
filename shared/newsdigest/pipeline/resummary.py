"""Resummarise: a stored clean-article document in, its summary item rewritten with another method.

Nothing is fetched or extracted again: the document in S3 is the input. A summary already made the
same way from the same content is left as it is (the item's conditional write), so running it twice
writes once; a failure here never touches the item (the summary it has, or its recorded failure, stays).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from newsdigest.aws.settings import Settings
from newsdigest.aws.storage import Storage
from newsdigest.errors import NewsdigestError
from newsdigest.pipeline import documents
from newsdigest.pipeline.outcomes import Outcome
from newsdigest.pipeline.records import summary_item


def _site_matches(document: dict, site: str) -> bool:
    """``site`` names the site as its pages do (site_name) or by host, with or without www."""
    wanted = site.strip().lower().removeprefix("www.")
    article = document["article"]
    names = {str(article.get("site_name") or "").strip().lower()}
    for url in (document["source"].get("url"), article.get("canonical_url"), article.get("url")):
        if url:
            names.add((urlsplit(str(url)).hostname or "").removeprefix("www."))
    return wanted in names


def resummarise_object(
    storage: Storage, settings: Settings, bucket: str, key: str, *, method: str | None, site: str | None
) -> Outcome | None:
    """The outcome for one stored article (``None`` when ``site`` leaves it out)."""
    from newsdigest.summarisation import summarise

    try:
        stored = storage.get_object(bucket, key, max_bytes=4 * settings.fetch.max_bytes)
        document = documents.check(documents.load(stored.body))
    except NewsdigestError as exc:
        return Outcome(article_id="", status="failed", source_ref=f"s3://{bucket}/{key}", key=key,
                       reason=exc.reason, message=str(exc))  # fmt: skip
    if site and not _site_matches(document, site):
        return None
    article = document["article"]
    source_ref = document["source"]["ref"]
    try:
        summary = summarise(
            article.get("text") or "",
            language=article.get("language"),
            method=method or settings.summary_method,
            sentences=settings.summary_sentences,
            title=article.get("title"),
        )
    except NewsdigestError as exc:
        return Outcome(article_id=document["article_id"], status="failed", source_ref=source_ref, key=key,
                       reason=exc.reason, message=str(exc))  # fmt: skip
    item = summary_item(document, summary, source_key=key)
    written = storage.write_item(settings.table_name, item, replace_ok=True, new_method_replaces=True)
    return Outcome(
        article_id=item["article_id"],
        status="summarised" if written else "skipped",
        source_ref=source_ref,
        key=key,
    )
