/**
 * Queries built and compiled once, then run with new values (issue 6).
 *
 * Kysely builds every query anew: the builder, the CamelCase renaming of every identifier, the
 * SQL compiler. For the handful of statements every read runs (the bearer token, the person,
 * the grounds of rule 1, the case view) that work cost more CPU than SQLite running them. A
 * prepared query is built once per dialect with a placeholder for each argument; each run
 * puts the argument values in the placeholders' places in the compiled parameters.
 *
 * The builder must pass every value that changes between runs as an argument — the time of
 * day included (`now`), never `nowIso()` inside the builder — and must not branch on an
 * argument's value or turn it into another value (`${q}%`), since it runs only once. A
 * placeholder the compiled query does not carry unchanged is an error at the first run.
 */
import { type Compilable, CompiledQuery, type Kysely, PostgresAdapter } from 'kysely';
import type { DB } from './schema.ts';

const PLACEHOLDER = '\u0000kasane:';

/**
 * The SQL of every prepared query compiled for PostgreSQL, with a statement name: the pool's
 * connections run these as named statements (src/db/connect.ts), so the server parses and
 * plans each once per connection instead of on every run. Only these fixed texts are named —
 * never SQL that varies with its input, which would pile up statements on the server.
 */
export const namedStatements = new Map<string, string>();

type Slot = { arg: string } | { value: unknown };

interface Template {
  sql: string;
  slots: Slot[];
}

export interface PreparedQuery<A, R> {
  all(db: Kysely<DB>, args: A): Promise<R[]>;
  first(db: Kysely<DB>, args: A): Promise<R | undefined>;
}

export function prepareQuery<A extends Record<string, unknown>, R>(
  argNames: readonly (keyof A & string)[],
  build: (db: Kysely<DB>, args: A) => Compilable<R>,
): PreparedQuery<A, R> {
  // One template per dialect (the adapter's class): the SQL differs between SQLite and PostgreSQL.
  const templates = new Map<unknown, Template>();
  const templateFor = (db: Kysely<DB>): Template => {
    const dialect = db.getExecutor().adapter.constructor;
    let template = templates.get(dialect);
    if (!template) {
      const placeholders = Object.fromEntries(argNames.map((name) => [name, `${PLACEHOLDER}${name}`])) as A;
      const compiled = build(db, placeholders).compile();
      const slots = compiled.parameters.map(
        (p): Slot => (typeof p === 'string' && p.startsWith(PLACEHOLDER) ? { arg: p.slice(PLACEHOLDER.length) } : { value: p }),
      );
      const used = new Set(slots.flatMap((s) => ('arg' in s ? [s.arg] : [])));
      const missing = argNames.filter((name) => !used.has(name));
      if (missing.length > 0) throw new Error(`prepared query lost its argument(s) ${missing.join(', ')}: ${compiled.sql}`);
      template = { sql: compiled.sql, slots };
      templates.set(dialect, template);
      if (db.getExecutor().adapter instanceof PostgresAdapter && !namedStatements.has(compiled.sql))
        namedStatements.set(compiled.sql, `kasane_${namedStatements.size + 1}`);
    }
    return template;
  };
  const run = async (db: Kysely<DB>, args: A): Promise<R[]> => {
    const { sql, slots } = templateFor(db);
    const parameters = slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    return (await db.executeQuery<R>(CompiledQuery.raw(sql, parameters))).rows;
  };
  return {
    all: run,
    first: async (db, args) => (await run(db, args))[0],
  };
}
