"""The web layer: pages, the JSON API and the public disclosure, over :mod:`cpsdk_server.workflow`."""
