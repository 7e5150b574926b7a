/**
 * Detection's own tables (versions 500–599). Not KQL-visible: hunters see alerts and incidents through
 * the Sentinel-shaped `SecurityAlert` / `SecurityIncident` catalog tables, which detection appends to.
 * - detect_rules / detect_rule_versions: the current spec of each rule and every saved revision.
 * - detect_watermarks: per rule, the end of the last window whose alerts are committed.
 * - detect_runs: run history (window, start, end, status, rows, alerts, error).
 * - detect_alerts: one row per alert; `dedup_key` is unique, so a match seen twice raises one alert.
 * - detect_incidents (+ comments, timeline): alert groups with status, owner, classification.
 * - detect_exclusions: indicators excluded from matching (fed by closing incidents as false positive).
 */
import type { Migration } from '../store/migrations.js';

export const detectMigrations: readonly Migration[] = [
  {
    version: 500,
    name: 'detect-core',
    up: [
      `CREATE TABLE IF NOT EXISTS detect_rules (
        rule_id VARCHAR PRIMARY KEY, revision INTEGER NOT NULL, enabled BOOLEAN NOT NULL, spec JSON NOT NULL,
        created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS detect_rule_versions (
        rule_id VARCHAR NOT NULL, revision INTEGER NOT NULL, spec JSON NOT NULL, saved_at TIMESTAMP NOT NULL, saved_by VARCHAR,
        PRIMARY KEY (rule_id, revision))`,
      `CREATE TABLE IF NOT EXISTS detect_watermarks (
        rule_id VARCHAR PRIMARY KEY, watermark TIMESTAMP NOT NULL, suppressed_until TIMESTAMP)`,
      `CREATE TABLE IF NOT EXISTS detect_runs (
        run_id VARCHAR PRIMARY KEY, rule_id VARCHAR NOT NULL, trigger VARCHAR NOT NULL, window_from TIMESTAMP, window_to TIMESTAMP,
        started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP, status VARCHAR NOT NULL, result_rows BIGINT, alerts INTEGER, error VARCHAR)`,
      `CREATE TABLE IF NOT EXISTS detect_alerts (
        alert_id VARCHAR PRIMARY KEY, dedup_key VARCHAR NOT NULL UNIQUE, rule_id VARCHAR NOT NULL, rule_revision INTEGER,
        rule_name VARCHAR NOT NULL, source VARCHAR NOT NULL, severity VARCHAR NOT NULL, title VARCHAR NOT NULL, description VARCHAR,
        event_time TIMESTAMP, created_at TIMESTAMP NOT NULL, indicator_key VARCHAR, entity VARCHAR, event_id VARCHAR,
        entities JSON, evidence JSON, indicator JSON, custom_details JSON, tactics VARCHAR, techniques VARCHAR,
        incident_id VARCHAR, run_id VARCHAR)`,
      `CREATE TABLE IF NOT EXISTS detect_incidents (
        incident_id VARCHAR PRIMARY KEY, number INTEGER NOT NULL UNIQUE, group_key VARCHAR NOT NULL, window_start TIMESTAMP NOT NULL,
        title VARCHAR NOT NULL, description VARCHAR, severity VARCHAR NOT NULL, status VARCHAR NOT NULL, owner VARCHAR,
        classification VARCHAR, classification_reason VARCHAR, classification_comment VARCHAR, created_at TIMESTAMP NOT NULL,
        modified_at TIMESTAMP NOT NULL, closed_at TIMESTAMP, first_activity TIMESTAMP, last_activity TIMESTAMP, rule_ids VARCHAR)`,
      `CREATE TABLE IF NOT EXISTS detect_incident_events (
        incident_id VARCHAR NOT NULL, event_at TIMESTAMP NOT NULL, seq BIGINT NOT NULL, kind VARCHAR NOT NULL, actor VARCHAR, detail JSON)`,
      `CREATE TABLE IF NOT EXISTS detect_exclusions (
        indicator_key VARCHAR PRIMARY KEY, reason VARCHAR, incident_id VARCHAR, created_at TIMESTAMP NOT NULL, created_by VARCHAR)`,
      'CREATE INDEX IF NOT EXISTS detect_alerts_incident ON detect_alerts (incident_id)',
      'CREATE INDEX IF NOT EXISTS detect_incidents_group ON detect_incidents (group_key, window_start)',
    ],
  },
];
