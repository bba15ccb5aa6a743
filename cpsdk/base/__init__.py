"""What every other part of cpsdk stands on.

Owns the exceptions (``_errors``), issues and their bounded log (``_issues``), the
simplified/traditional script conversion (``_script``), small typing helpers
(``_types``), public names' module (``_public``) and the installed version
(``_version``). Imports nothing from cpsdk; everything else may import it.
"""
