"""Git: commits, the history rebuilt from them, the merge driver, and syncing with the shared
remote."""
