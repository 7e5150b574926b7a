/** `GET /healthz`: liveness plus a store round trip (503 when the store does not answer). */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import { quarryVersion } from '../version.js';

export function registerHealthRoutes(app: FastifyInstance, store: Store): void {
  app.get('/healthz', async (request, reply) => {
    try {
      await store.query('SELECT 1', { timeoutMs: 2000 });
      const tables = (await store.listTables()).length;
      return { status: 'ok', version: quarryVersion(), store: { ok: true, tables } };
    } catch (e) {
      request.log.warn({ err: e }, 'health check: store unreachable');
      return reply.status(503).send({ status: 'unavailable', version: quarryVersion(), store: { ok: false, tables: 0 } });
    }
  });
}
