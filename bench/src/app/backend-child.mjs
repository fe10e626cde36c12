// The app's backends, in their own process so their CPU is not the app's: a real PostgreSQL (PGlite,
// PostgreSQL compiled to WASM, behind @electric-sql/pglite-socket's wire-protocol server) and a
// downstream HTTP service, both on 127.0.0.1. Prints one JSON line
// {"pgPort":N,"downstreamPort":M} and serves until SIGTERM or until its parent goes (stdin closes).
import http from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const PG_CONNECTIONS = 4;

const db = await PGlite.create();
await db.exec(`CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL, quantity int NOT NULL);
  INSERT INTO orders SELECT g, 'item ' || g, g % 7 FROM generate_series(1, 100) AS g;`);
const pg = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: PG_CONNECTIONS });
await pg.start();
const pgPort = Number(pg.getServerConn().split(':').pop());

const downstream = http.createServer((req, res) => {
  const body = JSON.stringify({ path: req.url, inStock: true, price: 12.5 });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
downstream.keepAliveTimeout = 60_000;
await new Promise((resolve) => downstream.listen(0, '127.0.0.1', resolve));

process.stdout.write(`${JSON.stringify({ pgPort, downstreamPort: downstream.address().port, pgConnections: PG_CONNECTIONS })}\n`);
async function stop() {
  downstream.closeAllConnections();
  downstream.close();
  await pg.stop();
  await db.close();
  process.exit(0);
}
process.once('SIGTERM', stop);
// The parent holds our stdin open: when it dies, however it dies, stdin ends and so do we.
process.stdin.on('end', stop);
process.stdin.resume();
