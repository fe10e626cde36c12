import { createDelivery } from '../../src/delivery/delivery';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { createMemoryQueue } from '../../src/delivery/memory-queue';
import { createDiagnostics } from '../../src/diag/diagnostics';
import { createHttpTransport } from '../../src/transport/http-transport';
import { recordingLogger } from '../transport/helpers/capture-diag';
import { startServer, trackResponse, type LoopbackServer } from '../transport/helpers/loopback-server';

const IKEY = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const idsIn = (text: string | undefined): number[] => (text ?? '').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: number }).id);

/** Issue 3 acceptance: a partial 206 over real HTTP re-sends exactly the retriable indexes. */
describe('206 partial success, real HTTP transport and delivery', () => {
  let server: LoopbackServer;
  afterEach(async () => { await server.close(); });

  it('re-sends exactly the items whose per-item status is retriable, once, and reports the dropped one', async () => {
    let calls = 0;
    server = await startServer((_req, res, recorded) => {
      calls++;
      if (calls === 1) {
        res.writeHead(206, { 'content-type': 'application/json' }).end(trackResponse(5, 2, [
          { index: 1, statusCode: 500, message: 'Internal error' },
          { index: 2, statusCode: 400, message: 'Field name is required' },
          { index: 3, statusCode: 429, message: 'Too many requests' },
          { index: 4, statusCode: 400, message: 'Telemetry sampled out.' },
        ]));
        return;
      }
      const n = idsIn(recorded.text).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(trackResponse(n, n));
    });
    const transport = createHttpTransport({
      endpoint: server.origin, instrumentationKey: IKEY, signalName: 'traces',
      diagnostics: createDiagnostics({ logger: recordingLogger() }),
    });
    const store = createMemoryQueue();
    const delivery = createDelivery({ transport, store, sendTimeoutMillis: 5_000 });
    try {
      const receipt = await delivery.send(await encodeEnvelopes([0, 1, 2, 3, 4].map((id) => ({ id })), true));
      expect(receipt).toMatchObject({ accepted: 2, queued: 2, dropped: 1, error: { code: 'AI_PARTIAL' } });
      await delivery.flush(Date.now() + 5_000);
      expect(server.requests.map((r) => idsIn(r.text))).toEqual([[0, 1, 2, 3, 4], [1, 3]]);
      expect(server.requests[1]?.headers['content-encoding']).toBe('gzip');
      expect(await store.stats()).toMatchObject({ requests: 0 });
    } finally {
      await delivery.close();
      await transport.shutdown();
    }
  });
});
