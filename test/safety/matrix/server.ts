/**
 * A test server whose Fastify/pino log goes into a buffer, so that the leak sweep can read
 * what the server logged. It reuses test/helpers/server.ts for the database, municipality
 * and administrator, then serves a second app built on the same services with the logger on
 * (as `KASANE_LOG=1` does in production) and answers through that one.
 */
import { buildApp } from '../../../src/http/app.ts';
import { type DbKind, type Res, startServer, type TestServer } from '../../helpers/server.ts';
import { pdfText } from './pdf.ts';
import { XLSX_TYPE, xlsxText } from './xlsx.ts';

export interface LoggedServer extends TestServer {
  /** Every log line the logged app wrote. */
  logs: string[];
}

export async function startLoggedServer(kind: DbKind): Promise<LoggedServer> {
  const base = await startServer(kind);
  const app = await buildApp(base.services, { logger: true });
  const logs: string[] = [];
  // pino keeps its destination under a private symbol that child (per-request) loggers
  // inherit through the prototype chain: point it at the buffer before the first request.
  const log = app.log as unknown as Record<symbol, unknown>;
  const streamSym = Object.getOwnPropertySymbols(log).find((s) => s.description === 'pino.stream');
  if (!streamSym) throw new Error('pino stream symbol not found: the log buffer cannot be attached');
  log[streamSym] = { write: (line: string) => void logs.push(line) };
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const url = address.replace('localhost', '127.0.0.1');

  async function call<T = any>(token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const h: Record<string, string> = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
    }
    const full = path.startsWith(WEB) ? path.slice(WEB.length) : path.startsWith('/api/') ? path : `/api/v1${path}`;
    const res = await fetch(`${url}${full}`, { method, headers: h, body: payload });
    // A PDF or a workbook is read as its text (what a canary would be drawn as), not as undecodable bytes.
    const type = res.headers.get('content-type') ?? '';
    const text = type.startsWith('application/pdf')
      ? pdfText(Buffer.from(await res.arrayBuffer()))
      : type.startsWith(XLSX_TYPE)
        ? await xlsxText(Buffer.from(await res.arrayBuffer()))
        : await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  return {
    ...base,
    url,
    app,
    logs,
    call,
    async stop(o = {}) {
      await app.close();
      await base.stop(o);
    },
  };
}

/** A path outside /api/v1 (the web UI): `call(token, 'GET', WEB + '/')`. */
export const WEB = 'WEB:';
