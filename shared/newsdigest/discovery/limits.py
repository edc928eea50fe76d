"""Every bound of discovery in one table: what each one guards against, and what set it.

No input (a source's feed, sitemap or homepage, however large or hostile) can make one Discover run do
more than these allow; what a bound cuts is reported on the run's result, never silently dropped.
"""

from __future__ import annotations

# ---- documents -------------------------------------------------------------------------------------
#: Largest feed, sitemap or homepage read (compressed or not). sitemaps.org caps a sitemap at 50 MB
#: uncompressed; real news sitemaps and feeds are far below 10 MB.
MAX_DOCUMENT_BYTES = 10_000_000
#: Largest uncompressed size of a gzip sitemap: sitemaps.org's 50 MB cap. A gzip bomb stops here.
MAX_GUNZIPPED_BYTES = 50_000_000
#: Entries read from one document: sitemaps.org's 50,000 URLs per sitemap.
MAX_ENTRIES_PER_DOCUMENT = 50_000
#: Documents fetched for one source in one run (the source itself, its feeds, child sitemaps).
#: A sitemap index of thousands of monthly archives would otherwise cost thousands of requests.
MAX_DOCUMENTS_PER_SOURCE = 25
#: Sitemap index nesting followed (index -> index -> urlset); sitemaps.org allows one level.
MAX_SITEMAP_DEPTH = 2
#: Feeds followed from a homepage's autodiscovery links.
MAX_FEEDS_PER_HOMEPAGE = 5
#: Longest URL kept (browsers' and CDNs' practical limit); longer ones are not article links.
MAX_URL_LENGTH = 2048
#: Longest validator (ETag / Last-Modified) remembered for a conditional GET.
MAX_VALIDATOR_LENGTH = 512

# ---- candidates ------------------------------------------------------------------------------------
#: Candidate URLs checked against the seen-URL table per source and run, newest first: a 50,000-URL
#: sitemap does not cost 50,000 lookups every five minutes.
MAX_CANDIDATES_PER_RUN = 2_000
#: Candidates whose seen-URL records are read at once (one BatchGetItem) before the unseen ones are
#: claimed: a feed listing mostly known articles costs one read per 100 entries instead of a
#: conditional write each, and a run whose new-article cap is reached reads at most this far ahead.
SEEN_LOOKUP_CHUNK = 100

# ---- sources ---------------------------------------------------------------------------------------
#: A source's schedule, in minutes: more often than every 5 minutes is not news discovery, and less
#: often than weekly leaves the seen-URL records (TTL below) to expire before the next look.
MIN_EVERY_MINUTES = 5
MAX_EVERY_MINUTES = 7 * 24 * 60
DEFAULT_EVERY_MINUTES = 30
#: New articles queued per source and run.
DEFAULT_MAX_NEW_PER_RUN = 100
MAX_MAX_NEW_PER_RUN = 1_000
#: Requests per minute to one host (Discover's own and Ingest's), unless robots.txt asks for less.
DEFAULT_REQUESTS_PER_MINUTE = 30
MAX_REQUESTS_PER_MINUTE = 600
#: URL include/exclude patterns per source, and their length (regular expressions the owner writes).
MAX_PATTERNS = 20
MAX_PATTERN_LENGTH = 200
#: Errors kept on a source item (newest first), so a source failing for months stays one small item.
MAX_ERRORS_KEPT = 10

# ---- exactly once ----------------------------------------------------------------------------------
#: How long a seen-URL record lives (DynamoDB TTL). Feeds and news sitemaps list days, not months,
#: of articles; 90 days is far past the window, and the table stays bounded.
SEEN_TTL_SECONDS = 90 * 24 * 3600
#: How long a URL stays claimed while its run has not yet confirmed the send to the queue: Lambda's
#: longest timeout (15 minutes), so no invocation that claimed a URL can still be about to send it when
#: the claim lapses. A run that crashed between claim and send loses nothing: the next run to list the
#: URL after this queues it again (at worst a duplicate send, which Ingest's and Summarise's
#: idempotency per article id absorbs).
PENDING_CLAIM_SECONDS = 15 * 60

# ---- pacing ----------------------------------------------------------------------------------------
#: SQS's largest DelaySeconds: a host's queue of new URLs cannot be spread further ahead than this in
#: one run; the rest waits, unclaimed, for the next run.
MAX_DELAY_SECONDS = 900
#: Longest gap between two requests to one host that we honour (a robots.txt Crawl-delay of an hour
#: would otherwise stall the run); a host asking for more gets this.
MAX_HOST_INTERVAL_SECONDS = 60.0
