/** "Create detection rule" from the current hunting query: a scheduled rule saved through `/api/rules/import`. */
import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { navigate } from '../lib/router';
import { ENTITY_TYPES, ruleYaml, type RuleForm } from '../lib/rule-yaml';
import { ErrorView } from '../components/states';

const TACTICS = ['InitialAccess', 'Execution', 'Persistence', 'PrivilegeEscalation', 'DefenseEvasion', 'CredentialAccess', 'Discovery', 'LateralMovement', 'Collection', 'CommandAndControl', 'Exfiltration', 'Impact'];

export function CreateRuleDialog({ query, columns, onClose }: { query: string; columns: readonly string[]; onClose(): void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('Created from an advanced hunting query.');
  const [severity, setSeverity] = useState<RuleForm['severity']>('Medium');
  const [frequency, setFrequency] = useState('1h');
  const [period, setPeriod] = useState('14d');
  const [entityType, setEntityType] = useState('DNS');
  const [entityColumn, setEntityColumn] = useState(columns[0] ?? '');
  const [tactic, setTactic] = useState('InitialAccess');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const id = `custom-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'rule'}-${Date.now().toString(36)}`;
    const et = ENTITY_TYPES.find((t) => t.type === entityType)!;
    const yaml = ruleYaml({
      id, name, description, severity, queryFrequency: frequency, queryPeriod: period, query,
      entities: entityColumn ? [{ entityType: et.type, identifier: et.identifier, columnName: entityColumn }] : [],
      tactics: tactic ? [tactic] : [],
    });
    try {
      const r = await api<{ rule?: { id: string }; id?: string }>('/api/rules/import', { body: { yaml } });
      navigate(`/rules/${encodeURIComponent(r.rule?.id ?? r.id ?? id)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="rule-dialog-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form className="dialog stack" onSubmit={(e) => void submit(e)}>
        <h2 id="rule-dialog-title">Create detection rule</h2>
        <label className="field">Name<input required autoFocus value={name} onChange={(e) => setName(e.target.value)} data-testid="rule-name" /></label>
        <label className="field">Description<input value={description} onChange={(e) => setDescription(e.target.value)} /></label>
        <div className="row">
          <label className="field">Severity
            <select value={severity} onChange={(e) => setSeverity(e.target.value as RuleForm['severity'])}>
              {['Informational', 'Low', 'Medium', 'High'].map((s) => <option key={s}>{s}</option>)}
            </select>
          </label>
          <label className="field">Run every
            <select value={frequency} onChange={(e) => setFrequency(e.target.value)}>{['5m', '1h', '3h', '12h', '1d'].map((s) => <option key={s}>{s}</option>)}</select>
          </label>
          <label className="field">Look back
            <select value={period} onChange={(e) => setPeriod(e.target.value)}>{['1h', '1d', '7d', '14d'].map((s) => <option key={s}>{s}</option>)}</select>
          </label>
          <label className="field">Tactic
            <select value={tactic} onChange={(e) => setTactic(e.target.value)}><option value="">(none)</option>{TACTICS.map((s) => <option key={s}>{s}</option>)}</select>
          </label>
        </div>
        <div className="row">
          <label className="field">Entity type
            <select value={entityType} onChange={(e) => setEntityType(e.target.value)}>{ENTITY_TYPES.map((t) => <option key={t.type}>{t.type}</option>)}</select>
          </label>
          <label className="field">from column
            {columns.length ? (
              <select value={entityColumn} onChange={(e) => setEntityColumn(e.target.value)} data-testid="rule-entity-column">
                <option value="">(no entity)</option>{columns.map((c) => <option key={c}>{c}</option>)}
              </select>
            ) : <input value={entityColumn} onChange={(e) => setEntityColumn(e.target.value)} placeholder="run the query to list columns" />}
          </label>
        </div>
        <details><summary className="muted small">Query</summary><pre style={{ maxHeight: 180 }}>{query}</pre></details>
        {error ? <ErrorView error={error} what="Saving the rule" /> : null}
        <div className="row">
          <span className="spacer" />
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || !name.trim() || !query.trim()} data-testid="save-rule">{busy ? 'Saving…' : 'Create rule'}</button>
        </div>
      </form>
    </div>
  );
}
