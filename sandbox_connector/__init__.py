"""The sandbox NetSuite Connector: syncproof's engine run as a polling process of its own.

The sandbox launcher (``sandbox.start_sandbox(connector=...)``, also ``syncproof sandbox
serve``) starts it as ``python -m sandbox_connector`` next to the emulators. It polls the
Shopify and Amazon emulators and NetSuite on a short interval and performs order sync,
refund sync (one direction per channel, the refund settings it was given) and
settlement sync, with one implementation: :mod:`syncproof.engine`. It keeps its own store
and exposes its status per order, refund and settlement over loopback HTTP
(:mod:`sandbox_connector.status`), so ``--driver connector`` watches it as it watches the
real NetSuite Connector, and it makes the named defects of
:mod:`syncproof.connector_defects` (:mod:`sandbox_connector.defects`).

Why a package of its own: ``sandbox`` may import only ``syncproof.model`` and the checks
may never import the code that syncs; the connector needs the engine. Living outside
both, it is reached only as a process, through the launcher.
"""
