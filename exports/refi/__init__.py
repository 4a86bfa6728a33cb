"""REFI-QDA exchange: `.qdpx` projects and `.qdc` codebooks, written and read.

- `project`: postil's highlights, tags, notes, authors, links and source memos as a
  `project.qde` (QDA-XML 1.0, namespace `urn:QDA-XML:project:1.0`);
- `codebook`: the tags alone as a `.qdc` (spec section 5.2), and reading codes back;
- `archive`: the `.qdpx` ZIP, written with a flat lower-case `sources/` folder and read
  with limits (member count, sizes, compression ratio, no paths outside the archive);
- `reader`: a `project.qde` parsed into the store's `refi` import records;
- `safexml`: the one hardened XML parser every reader here uses;
- `guids`: stable GUIDs (uuid5 of postil's own ids and names);
- `exchange`: the entry points the CLI and the app call (export_qdpx, export_qdc, import_refi).
"""
