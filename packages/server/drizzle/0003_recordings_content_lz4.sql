-- A recording's content is compressed with LZ4 where the server has it (PostgreSQL 14+ built with LZ4,
-- as Debian's and the official packages are): measured on a 19 KB typing recording, about a third less
-- PostgreSQL CPU per upload than the default pglz, for about 10 % more compressed bytes. PGlite has no
-- LZ4 and keeps pglz. Rows already stored keep the compression they were written with.
-- EXECUTE, so that a server that does not know the statement fails inside the handler.
DO $$
BEGIN
  EXECUTE 'ALTER TABLE "recordings" ALTER COLUMN "content" SET COMPRESSION lz4';
EXCEPTION
  WHEN feature_not_supported OR syntax_error THEN
    NULL;
END
$$;
