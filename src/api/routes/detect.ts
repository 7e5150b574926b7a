/**
 * Detection routes: `/api/rules` (list, show with versions and run history, import YAML, export YAML,
 * enable/disable, run now), `/api/alerts`, `/api/incidents` (list, show, update). Logic lives in `src/detect`.
 * Reading needs the reader role; changing rules or incidents needs analyst.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { QuarryError } from '../../core/errors.js';
import { detectionFor } from '../../detect/instance.js';
import { listIncidents, showIncident } from '../../detect/incidents.js';
import { getRule, listRules, ruleVersions, saveRule, setRuleEnabled } from '../../detect/rule-store.js';
import { ruleFromYaml, ruleToYaml } from '../../detect/rule-yaml.js';
import { principalOf } from '../plugins/auth.js';
import type { RouteDeps } from './index.js';

const read = { auth: { role: 'reader' } } as const;
const write = { auth: { role: 'analyst' } } as const;

const incidentPatch = z.strictObject({
  status: z.string().optional(), owner: z.string().nullable().optional(), severity: z.string().optional(), classification: z.string().optional(),
  classificationReason: z.string().optional(), classificationComment: z.string().optional(), comment: z.string().max(10_000).optional(),
  excludeIndicators: z.boolean().optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new QuarryError('api/bad-request', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

export function registerDetectRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const det = () => detectionFor(deps.store, { logger: deps.logger });
  app.get('/api/rules', { config: read }, async () => ({ rules: await listRules((await det()).store) }));
  app.get<{ Params: { id: string } }>('/api/rules/:id', { config: read }, async (req) => {
    const d = await det();
    const rule = await getRule(d.store, req.params.id);
    return { rule, versions: await ruleVersions(d.store, rule.id), runs: await d.scheduler.history(rule.id, 50), watermark: await d.scheduler.watermark(rule.id) };
  });
  app.get<{ Params: { id: string } }>('/api/rules/:id/export', { config: read }, async (req, reply) => {
    const rule = await getRule((await det()).store, req.params.id);
    return reply.type('application/yaml').send(ruleToYaml(rule));
  });
  app.post('/api/rules/import', { config: write }, async (req) => {
    const d = await det();
    const text = typeof req.body === 'string' ? req.body : (parseBody(z.strictObject({ yaml: z.string() }), req.body)).yaml;
    const res = await saveRule(d.store, ruleFromYaml(text), { nowMs: d.clock(), by: principalOf(req).username });
    await d.reloadRules();
    return res;
  });
  for (const [path, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post<{ Params: { id: string } }>(`/api/rules/:id/${path}`, { config: write }, async (req) => {
      const d = await det();
      const rule = await setRuleEnabled(d.store, req.params.id, enabled, { nowMs: d.clock(), by: principalOf(req).username });
      await d.reloadRules();
      return { rule };
    });
  }
  app.post<{ Params: { id: string } }>('/api/rules/:id/run', { config: write }, async (req) => {
    const d = await det();
    return { run: await d.scheduler.runNow(await getRule(d.store, req.params.id)) };
  });
  app.get<{ Querystring: { limit?: string } }>('/api/alerts', { config: read }, async (req) => {
    const d = await det();
    const limit = Math.max(1, Math.min(10_000, Number(req.query.limit ?? 100) || 100));
    const r = await d.store.query(
      `SELECT alert_id, rule_id, rule_name, source, severity, title, epoch_ms(event_time), indicator_key, entity, incident_id, entities, indicator
       FROM detect_alerts ORDER BY created_at DESC, event_time DESC LIMIT ${limit}`,
    );
    return {
      alerts: r.rows.map((x) => ({
        alertId: x[0], ruleId: x[1], ruleName: x[2], source: x[3], severity: x[4], title: x[5], eventTime: x[6] === null ? null : new Date(Number(x[6])).toISOString(),
        indicatorKey: x[7], entity: x[8], incidentId: x[9], entities: x[10] ? JSON.parse(String(x[10])) : [], indicator: x[11] ? JSON.parse(String(x[11])) : null,
      })),
    };
  });
  app.get<{ Querystring: { status?: string; limit?: string } }>('/api/incidents', { config: read }, async (req) => ({
    incidents: await listIncidents((await det()).store, { ...(req.query.status ? { status: req.query.status } : {}), limit: Number(req.query.limit ?? 100) || 100 }),
  }));
  app.get<{ Params: { id: string } }>('/api/incidents/:id', { config: read }, async (req) => showIncident((await det()).store, req.params.id));
  app.patch<{ Params: { id: string } }>('/api/incidents/:id', { config: write }, async (req) => {
    const d = await det();
    return d.updateIncident(req.params.id, parseBody(incidentPatch, req.body), principalOf(req).username);
  });
}
