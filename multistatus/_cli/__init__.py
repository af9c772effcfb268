"""The parts of the ``multistatus`` command (:mod:`multistatus.cli`), one concern each.

``_input`` reads files, captures and URLs; ``_render`` writes the report of
``inspect``; ``_send`` runs ``send``.  The exit statuses are the rule of
``docs/cli.rst``, shared by every command.
"""

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE, EXIT_FETCH = 0, 1, 2, 3

__all__ = ["EXIT_FAILED", "EXIT_FETCH", "EXIT_OK", "EXIT_UNREADABLE"]
