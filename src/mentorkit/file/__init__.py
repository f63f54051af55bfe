"""The file: the typed model, its on-disk format and YAML text, and storage, the only module
that opens it."""
