"""A local AWS for development: a moto server, resources built from template.yaml, and a poller that
drives the real handlers the way Lambda's SQS event source mapping does. Not shipped in the layer."""
