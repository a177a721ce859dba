"""The packing domain, pure: scan interpretation, the session, decisions, the patch builder.

Nothing here does I/O or imports Textual, SQLite or the sandbox. Import each name from the
submodule that defines it (`packstation.packing.session`, `.scan`, `.plan`, `.events`, ...).
"""
