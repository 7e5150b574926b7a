/**
 * The intel store's own tables (versions 200–299). KQL-visible projections go to the catalog tables
 * ThreatIntelligenceIndicator / ThreatIntelIndicators / ThreatIntelObjects; these tables hold the source of truth.
 *
 * - `intel_objects`: every version of every STIX object (key id + version text), canonical JSON, content hash,
 *   `added_us` (TAXII date_added, strictly increasing over the whole store, so it doubles as a paging cursor),
 *   `is_current` (the version with the latest `modified`).
 * - `intel_observables`: normalised observables of the current version of each indicator.
 * - tags, projects (+ artifacts, history), TAXII collections and client cursors, import log.
 */
import type { Migration } from '../store/migrations.js';
import { uuidV5 } from './stix.js';

/** The TAXII collection holding every object of the store. */
export const ALL_COLLECTION_ID = uuidV5('quarry/taxii/collection/all');

export const intelMigrations: readonly Migration[] = [
  {
    version: 200,
    name: 'intel-store',
    up: [
      `CREATE TABLE intel_objects (
        id VARCHAR NOT NULL, version VARCHAR NOT NULL, version_us BIGINT NOT NULL, type VARCHAR NOT NULL,
        spec_version VARCHAR, hash VARCHAR NOT NULL, json VARCHAR NOT NULL, source VARCHAR,
        added_us BIGINT NOT NULL, is_current BOOLEAN NOT NULL, revoked BOOLEAN NOT NULL,
        PRIMARY KEY (id, version))`,
      'CREATE INDEX intel_objects_added ON intel_objects (added_us)',
      `CREATE TABLE intel_observables (
        indicator_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, okey VARCHAR NOT NULL, value VARCHAR NOT NULL)`,
      `CREATE TABLE intel_tags (
        target VARCHAR NOT NULL, tag VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        created_by VARCHAR, PRIMARY KEY (target, tag))`,
      `CREATE TABLE intel_projects (
        id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, description VARCHAR, owner VARCHAR NOT NULL,
        visibility VARCHAR NOT NULL, collaborators VARCHAR NOT NULL, tags VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE intel_project_artifacts (
        project_id VARCHAR NOT NULL, artifact VARCHAR NOT NULL, type VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        creator VARCHAR NOT NULL, context VARCHAR, tags VARCHAR NOT NULL, PRIMARY KEY (project_id, artifact))`,
      `CREATE TABLE intel_project_history (
        project_id VARCHAR NOT NULL, happened_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, detail VARCHAR)`,
      `CREATE TABLE intel_taxii_collections (
        id VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, description VARCHAR, tag VARCHAR,
        can_read BOOLEAN NOT NULL, can_write BOOLEAN NOT NULL)`,
      `INSERT INTO intel_taxii_collections VALUES ('${ALL_COLLECTION_ID}', 'Quarry intel', 'Every STIX object in this Quarry store, all versions.', NULL, true, false)`,
      `CREATE TABLE intel_taxii_cursors (
        name VARCHAR PRIMARY KEY, url VARCHAR NOT NULL, added_after VARCHAR, next VARCHAR, updated_at TIMESTAMP NOT NULL)`,
      // scratch keys for set-based statements inside one write transaction (emptied before each use)
      'CREATE TABLE intel_stage (id VARCHAR NOT NULL, purpose VARCHAR NOT NULL)',
      `CREATE TABLE intel_imports (
        happened_at TIMESTAMP NOT NULL, source VARCHAR NOT NULL, format VARCHAR NOT NULL, report VARCHAR NOT NULL)`,
    ],
  },
];
