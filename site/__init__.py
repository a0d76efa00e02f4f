"""Project configuration. Imported as ``site`` thanks to ``sitepackage.py``."""
