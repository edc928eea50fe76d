"""The pipeline services: one input in, one stored result (or one recorded failure) out.

They join the pure packages to the AWS adapters they are handed; the handlers in ``functions/`` call
them and shape the reply.
"""
