/**
 * Rules in the store: the current spec per rule and every saved revision (version history). Saving an
 * unchanged spec is a no-op, so re-importing the built-in rules on every start does not grow the history.
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { checkRule } from './rule-checks.js';
import type { RuleSpec, StoredRule } from './rule-types.js';

type Q = Pick<Store, 'query' | 'exec' | 'transaction'>;

function specText(spec: RuleSpec): string {
  return JSON.stringify(spec);
}

function iso(v: unknown): string {
  return new Date(Number(BigInt(v as bigint) / 1000n)).toISOString();
}

function fromRow(row: readonly unknown[]): StoredRule {
  const spec = JSON.parse(String(row[3])) as RuleSpec;
  return { ...spec, enabled: Boolean(row[2]), revision: Number(row[1]), createdAt: iso(row[4]), updatedAt: iso(row[5]) };
}

const COLS = 'rule_id, revision, enabled, spec, created_at, updated_at';

export async function listRules(store: Pick<Store, 'query'>): Promise<StoredRule[]> {
  const r = await store.query(`SELECT ${COLS} FROM detect_rules ORDER BY rule_id`);
  return r.rows.map(fromRow);
}

export async function findRule(store: Pick<Store, 'query'>, id: string): Promise<StoredRule | null> {
  const r = await store.query(`SELECT ${COLS} FROM detect_rules WHERE rule_id = $1`, { params: [id] });
  return r.rows[0] ? fromRow(r.rows[0]) : null;
}

export async function getRule(store: Pick<Store, 'query'>, id: string): Promise<StoredRule> {
  const rule = await findRule(store, id);
  if (!rule) throw new QuarryError('detect/unknown-rule', `there is no rule with id '${id}'`, { hints: ['`quarry rules list` shows the rule ids'] });
  return rule;
}

/** Validates and saves a rule; a changed spec becomes a new revision. Returns the stored rule and whether it changed. */
export async function saveRule(store: Q, spec: RuleSpec, opts: { nowMs: number; by?: string }): Promise<{ rule: StoredRule; changed: boolean }> {
  checkRule(spec);
  const now = new Date(opts.nowMs);
  return store.transaction(async (tx) => {
    const cur = await tx.query(`SELECT ${COLS} FROM detect_rules WHERE rule_id = $1`, { params: [spec.id] });
    const old = cur.rows[0] ? fromRow(cur.rows[0]) : null;
    const text = specText(spec);
    if (old) {
      const { revision: _r, createdAt: _c, updatedAt: _u, ...oldSpec } = old;
      if (specText(oldSpec as RuleSpec) === text) return { rule: old, changed: false };
    }
    const revision = (old?.revision ?? 0) + 1;
    if (old) {
      await tx.exec('UPDATE detect_rules SET revision = $2, enabled = $3, spec = $4, updated_at = $5 WHERE rule_id = $1', [spec.id, revision, spec.enabled, text, now]);
    } else {
      await tx.exec('INSERT INTO detect_rules (rule_id, revision, enabled, spec, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)', [spec.id, revision, spec.enabled, text, now]);
    }
    await tx.exec('INSERT INTO detect_rule_versions (rule_id, revision, spec, saved_at, saved_by) VALUES ($1, $2, $3, $4, $5)', [spec.id, revision, text, now, opts.by ?? null]);
    const stored: StoredRule = { ...spec, revision, createdAt: old?.createdAt ?? now.toISOString(), updatedAt: now.toISOString() };
    return { rule: stored, changed: true };
  });
}

export async function setRuleEnabled(store: Q, id: string, enabled: boolean, opts: { nowMs: number; by?: string }): Promise<StoredRule> {
  const rule = await getRule(store, id);
  const { revision: _r, createdAt: _c, updatedAt: _u, ...spec } = rule;
  return (await saveRule(store, { ...(spec as RuleSpec), enabled }, opts)).rule;
}

export interface RuleVersion {
  readonly revision: number;
  readonly savedAt: string;
  readonly savedBy: string | null;
  readonly spec: RuleSpec;
}

export async function ruleVersions(store: Pick<Store, 'query'>, id: string): Promise<RuleVersion[]> {
  const r = await store.query('SELECT revision, saved_at, saved_by, spec FROM detect_rule_versions WHERE rule_id = $1 ORDER BY revision', { params: [id] });
  return r.rows.map((row) => ({ revision: Number(row[0]), savedAt: iso(row[1]), savedBy: row[2] === null ? null : String(row[2]), spec: JSON.parse(String(row[3])) as RuleSpec }));
}
