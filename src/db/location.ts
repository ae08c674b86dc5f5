/** Where a database lives: a PostgreSQL URL, or else a SQLite file path (its own module, so worker threads can ask without loading the drivers). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}
