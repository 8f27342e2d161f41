-- The catalog's version: every write transaction raises it, and a load reads it in the same
-- snapshot as the rows, so a version names exactly one state of the catalog. Routers refuse to
-- cache an answer older than the newest version they were told of (catalog.changed carries it).
CREATE TABLE catalog.version (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version  bigint  NOT NULL
);
INSERT INTO catalog.version (only_row, version) VALUES (true, 0);
