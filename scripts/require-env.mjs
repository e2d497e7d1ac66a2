// Exits with a clear message when one of the named environment variables is not set.
const missing = process.argv.slice(2).filter((name) => !process.env[name]);
if (missing.length > 0) {
  console.error(
    `${missing.join(', ')} must be set, e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres ` +
      '(a database user allowed to create databases; each test gets its own database).',
  );
  process.exit(1);
}
