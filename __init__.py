"""postil: read sources beside an annotation pane, mark and tag passages, export briefs.

The repository's top-level folders are this package's parts (pyproject.toml maps them):
`postil.sources` turns files into documents, `postil.store` keeps everything in one SQLite
file, `postil.exports` writes briefs and exchange formats, `postil.tui` is the app and the
`postil` command line. ARCHITECTURE.md says how they fit together.
"""
