// The floor of the benchmark (issue 6), each in its own process like the server under test:
//   node bench/floor.mjs http PORT          bare node:http, a fixed JSON body
//   node bench/floor.mjs fastify PORT       a bare Fastify route, the same body
//   node bench/floor.mjs raw PORT DB        node:http + one indexed lookup of a person by id
//                                           (GET /person/<id>) on the same database, raw driver
// Plain JavaScript on purpose: nothing between the request and the answer but what is named.
import { createServer } from 'node:http';

const [kind, portText, location] = process.argv.slice(2);
const port = Number(portText);
const BODY = JSON.stringify({ status: 'ok', floor: kind });

if (kind === 'http') {
  createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
    res.end(BODY);
  }).listen(port, '127.0.0.1', () => process.send?.('ready'));
} else if (kind === 'fastify') {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.get('/json', async () => ({ status: 'ok', floor: kind }));
  await app.listen({ port, host: '127.0.0.1' });
  process.send?.('ready');
} else if (kind === 'raw') {
  let lookup;
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: location, max: 10 });
    lookup = async (id) => (await pool.query({ name: 'person', text: 'SELECT * FROM persons WHERE id = $1', values: [id] })).rows[0];
  } else {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(location, { readonly: true });
    const stmt = db.prepare('SELECT * FROM persons WHERE id = ?');
    lookup = async (id) => stmt.get(id);
  }
  createServer(async (req, res) => {
    const row = await lookup(req.url.slice('/person/'.length));
    const body = JSON.stringify(row ?? null);
    res.writeHead(row ? 200 : 404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }).listen(port, '127.0.0.1', () => process.send?.('ready'));
} else {
  process.stderr.write('usage: node bench/floor.mjs http|fastify|raw PORT [DB]\n');
  process.exit(2);
}
