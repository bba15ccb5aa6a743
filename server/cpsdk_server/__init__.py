"""cpsdk-server: ``cpsdk serve``, the county → city → province collection of cleaner-production forms.

Built on the SDK (:mod:`cpsdk`), which never imports it. :func:`cpsdk_server.app.create_app` makes the
ASGI application; :mod:`cpsdk_server.cli` is the ``cpsdk-serve`` command.
"""

__version__ = "0.1.0"
