package dev.loam.mcp;

import java.util.function.Function;

/**
 * The tools of {@code loam mcp}: name, description and JSON schema of the arguments, and which
 * {@link LoamTools} method runs them. The schemas are what an assistant reads to call a tool; the
 * tools check every argument again themselves ({@link Args}), with the bounds of {@link Limits}.
 * Immutable.
 */
enum ToolDef {
  LIST_DOCUMENTS("list_documents", "List documents", true,
      "The documents of the repo folder as a JSON array of {url, title?} (title: the root title string, if any).",
      """
      {"type": "object", "properties": {}, "additionalProperties": false}
      """,
      t -> a -> t.listDocuments()),
  READ_DOCUMENT("read_document", "Read a document", true,
      "A document as JSON; as of the given heads (change hashes from document_history) if given.",
      """
      {"type": "object", "properties": {
         "url": {"type": "string", "description": "The document's automerge: URL (or loam-secure: URL with --id)", "maxLength": 256},
         "heads": {"type": "array", "items": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}, "maxItems": 1000,
                   "description": "Change hashes: read the document as it was at these changes"}},
       "required": ["url"], "additionalProperties": false}
      """,
      t -> t::readDocument),
  SEARCH_DOCUMENTS("search_documents", "Search documents", true,
      "Full-text search over the documents' text, best first: [{url, score, paths, snippet}] as 'loam search --json'. "
          + "Query: words (all must match), \"phrases\", prefix*, fuzzy~, key:word, path:/tasks, OR, NOT.",
      """
      {"type": "object", "properties": {
         "query": {"type": "string", "maxLength": 1000},
         "limit": {"type": "integer", "minimum": 1, "maximum": 100, "description": "At most this many hits (default 20)"}},
       "required": ["query"], "additionalProperties": false}
      """,
      t -> t::searchDocuments),
  EDIT_DOCUMENT("edit_document", "Edit a document", false,
      "Apply operations in order as one change with the message; returns {heads, change}. Operations, as 'loam doc edit': "
          + "{op:'put', path, value, as?} sets a map key or replaces a list element (strings become text); "
          + "{op:'insert', path, value, as?} inserts into a list before the path's last index ('-' appends); "
          + "{op:'delete', path}; {op:'splice', path, index, delete, text} edits a text (UTF-16 indexes); "
          + "{op:'increment', path, value} adds to a counter. Paths are JSON Pointers (\"/tasks/0/title\"). "
          + "If any operation fails, nothing is changed.",
      """
      {"type": "object", "properties": {
         "url": {"type": "string", "maxLength": 256},
         "message": {"type": "string", "maxLength": 4096, "description": "What the change does, for the history"},
         "operations": {"type": "array", "maxItems": 1000, "items": {"type": "object", "properties": {
             "op": {"type": "string", "enum": ["put", "insert", "delete", "splice", "increment"]},
             "path": {"type": "string", "description": "A JSON Pointer; \\"\\" is the root"},
             "value": {"description": "put/insert: any JSON value; increment: a whole number"},
             "as": {"type": "string", "enum": ["counter", "int", "uint", "f64", "timestamp", "bytes", "str", "text"]},
             "index": {"type": "integer", "minimum": 0},
             "delete": {"type": "integer", "minimum": 0},
             "text": {"type": "string"}},
           "required": ["op", "path"], "additionalProperties": false}}},
       "required": ["url", "message", "operations"], "additionalProperties": false}
      """,
      t -> t::editDocument),
  DOCUMENT_HISTORY("document_history", "Document history", true,
      "A document's changes, newest first: [{hash, actor, time, message, byAssistant}] (time in seconds since 1970; "
          + "byAssistant: made by an assistant through loam mcp).",
      """
      {"type": "object", "properties": {
         "url": {"type": "string", "maxLength": 256},
         "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "At most this many changes (default 50)"}},
       "required": ["url"], "additionalProperties": false}
      """,
      t -> t::documentHistory),
  REVERT_CHANGES("revert_changes", "Revert changes", false,
      "One new change that undoes exactly the given changes' effects on the current document, keeping later edits "
          + "by anyone else; returns {heads, change} (change null if there was nothing to undo).",
      """
      {"type": "object", "properties": {
         "url": {"type": "string", "maxLength": 256},
         "hashes": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}}},
       "required": ["url", "hashes"], "additionalProperties": false}
      """,
      t -> t::revertChanges);
  final String toolName;
  final String title;
  final boolean readOnly;
  final String description;
  final String schema;
  final Function<LoamTools, Function<Args, String>> body;

  ToolDef(String toolName, String title, boolean readOnly, String description, String schema,
      Function<LoamTools, Function<Args, String>> body) {
    this.toolName = toolName;
    this.title = title;
    this.readOnly = readOnly;
    this.description = description;
    this.schema = schema;
    this.body = body;
  }
}
