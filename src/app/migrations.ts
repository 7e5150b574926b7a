/**
 * Schema migrations of every feature area, gathered in one list. Each area owns a version range so that
 * areas never collide: core 1–99 (src/store/migrations.ts), ingest 100–199, intel 200–299, blob 300–399,
 * explorer 400–499, detect 500–599, api/auth 600–699, hunt 700–799. Add one line per area.
 */
import type { Migration } from '../store/migrations.js';
import { intelMigrations } from '../intel/migrations.js';
import { authMigrations } from '../auth/migrations.js';
import { explorerMigrations } from '../explorer/migrations.js';
import { ingestMigrations } from '../ingest/migrations.js';
import { detectMigrations } from '../detect/migrations.js';

export const featureMigrations: readonly Migration[] = [
  ...intelMigrations,
  ...authMigrations,
  ...explorerMigrations,
  ...ingestMigrations,
  ...detectMigrations,
];
