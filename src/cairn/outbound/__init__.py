"""Outbound: signed webhooks and statement forwarding through a durable outbox.

Events are written to ``outbound_deliveries`` in the transaction of the change
that caused them (:mod:`cairn.outbound.events`); the worker job in
:mod:`cairn.outbound.delivery` claims, sends, retries and records them.
"""
