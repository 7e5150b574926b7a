/**
 * Tables of access control and of the hunting API (range 600–699): users, sessions, API tokens, the audit
 * log, saved hunting queries and query history. None of them is KQL-visible: they hold credentials.
 */
import type { Migration } from '../store/migrations.js';

export const authMigrations: readonly Migration[] = [
  {
    version: 600,
    name: 'auth: users, sessions, tokens, audit',
    up: [
      `CREATE TABLE IF NOT EXISTS _quarry_users (
         id VARCHAR PRIMARY KEY, username VARCHAR NOT NULL UNIQUE, password_hash VARCHAR NOT NULL,
         role VARCHAR NOT NULL, disabled BOOLEAN NOT NULL DEFAULT false,
         created_at TIMESTAMP NOT NULL DEFAULT current_timestamp, updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`,
      // Only a SHA-256 of the session secret is stored; the cookie holds the secret.
      `CREATE TABLE IF NOT EXISTS _quarry_sessions (
         id_hash VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, csrf VARCHAR NOT NULL,
         created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS _quarry_tokens (
         id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, user_id VARCHAR NOT NULL, secret_hash VARCHAR NOT NULL,
         role VARCHAR NOT NULL, scopes VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP,
         last_used_at TIMESTAMP, revoked BOOLEAN NOT NULL DEFAULT false)`,
      `CREATE TABLE IF NOT EXISTS _quarry_audit (
         occurred_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, actor_kind VARCHAR NOT NULL, action VARCHAR NOT NULL,
         target VARCHAR, status INTEGER, request_id VARCHAR, ip VARCHAR, details VARCHAR)`,
    ],
  },
  {
    version: 601,
    name: 'hunt: saved queries and history',
    up: [
      `CREATE TABLE IF NOT EXISTS _quarry_saved_queries (
         id VARCHAR PRIMARY KEY, owner VARCHAR NOT NULL, name VARCHAR NOT NULL, query VARCHAR NOT NULL,
         description VARCHAR, shared BOOLEAN NOT NULL DEFAULT false,
         created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS _quarry_hunt_history (
         id VARCHAR PRIMARY KEY, owner VARCHAR NOT NULL, query VARCHAR NOT NULL, timespan VARCHAR, ran_at TIMESTAMP NOT NULL,
         status VARCHAR NOT NULL, rows BIGINT, ms DOUBLE, error_code VARCHAR)`,
    ],
  },
];
