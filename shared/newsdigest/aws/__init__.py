"""The AWS adapters: the only modules that talk to AWS or read Lambda's environment.

``storage`` (S3 and DynamoDB), ``events`` (S3 notifications through SQS), ``idempotency`` (Powertools),
``settings`` (the environment, read once), ``observability`` (Powertools logger, metrics, tracer) and
``snapstart`` (runtime hooks). The pure packages (``extract``, ``summarisation``, ``fetch``) never import
from here; the ``pipeline`` services receive these objects from the handlers.
"""
