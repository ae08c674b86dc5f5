import { type Kysely, sql } from 'kysely';
import { substringSearchKeys } from '../../ja/searchKeys.ts';
import type { DialectName } from '../connect.ts';

// The substring index of person names (issue 6): every suffix of each person's name key and
// kana key, so that a search for any part of a name — 1- and 2-character terms included —
// is one indexed range scan instead of a LIKE over every person. PostgreSQL compares the
// key in the "C" collation (code point order, like SQLite's BINARY), which the range needs.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('person_search_keys')
    .addColumn('key', dialect === 'postgres' ? sql`text COLLATE "C"` : 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addPrimaryKeyConstraint('person_search_keys_pk', ['key', 'person_id'])
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`WITHOUT ROWID`) : t))
    .execute();
  // Persons registered before this migration get their entries now, a page at a time (with
  // the plain column names: the migrator's connection may map result columns to camelCase).
  const raw = db.withoutPlugins();
  let after = '';
  for (;;) {
    const page = await raw.selectFrom('persons').select(['id', 'name_key', 'kana_key']).where('id', '>', after).orderBy('id').limit(2000).execute();
    if (page.length === 0) break;
    const rows = page.flatMap((p) => substringSearchKeys({ nameKey: p.name_key, kanaKey: p.kana_key }).map((key) => ({ key, person_id: p.id })));
    for (let i = 0; i < rows.length; i += 5000)
      await raw
        .insertInto('person_search_keys')
        .values(rows.slice(i, i + 5000))
        .execute();
    after = page[page.length - 1]!.id;
  }
}
