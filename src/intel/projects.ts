/**
 * Projects (MDTI standalone portal): name, description, owner, visibility (private = "My projects",
 * team = "Team projects", shared = "Shared projects"), collaborators, tags, artifacts with context, and a
 * history of every change. CSV exports use MDTI's project list / project details layouts.
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { toCsv } from './export/csv.js';
import { classifyValue } from './normalize.js';
import { isStixId, uuidV5 } from './stix.js';

type Db = Pick<Store, 'query' | 'exec'>;
export type Visibility = 'private' | 'team' | 'shared';

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly owner: string;
  readonly visibility: Visibility;
  readonly collaborators: string[];
  readonly tags: string[];
  readonly createdDateTime: string;
  readonly lastUpdatedDateTime: string;
  readonly artifactCount: number;
}

export interface ProjectArtifact {
  readonly artifact: string;
  /** MDTI artifact type words: domain, IP, host, url, hash, email, stix, other. */
  readonly type: string;
  readonly created: string;
  readonly creator: string;
  readonly context: string;
  readonly tags: string[];
}

function iso(v: unknown): string {
  return new Date(Number((v as bigint) / 1000n)).toISOString();
}

async function history(store: Db, id: string, actor: string, action: string, detail: string): Promise<void> {
  await store.exec('INSERT INTO intel_project_history VALUES ($1, now()::TIMESTAMP, $2, $3, $4)', [id, actor, action, detail]);
}

export async function createProject(
  store: Db,
  p: { name: string; description?: string; owner: string; visibility?: Visibility; collaborators?: string[]; tags?: string[] },
): Promise<Project> {
  if (!p.name?.trim()) throw new QuarryError('core/bad-argument', 'a project needs a name');
  const visibility = p.visibility ?? 'private';
  if (!['private', 'team', 'shared'].includes(visibility)) throw new QuarryError('core/bad-argument', `visibility must be private, team or shared, got '${visibility}'`);
  const id = uuidV5(`quarry/project/${p.owner}/${p.name.trim()}`);
  const exists = await store.query('SELECT 1 FROM intel_projects WHERE id = $1', { params: [id] });
  if (exists.rows.length > 0) throw new QuarryError('core/bad-argument', `${p.owner} already has a project named '${p.name.trim()}'`);
  await store.exec('INSERT INTO intel_projects VALUES ($1, $2, $3, $4, $5, $6, $7, now()::TIMESTAMP, now()::TIMESTAMP)', [
    id, p.name.trim(), p.description ?? '', p.owner, visibility, JSON.stringify(p.collaborators ?? []), JSON.stringify(p.tags ?? []),
  ]);
  await history(store, id, p.owner, 'created', p.name.trim());
  return getProject(store, id);
}

export async function getProject(store: Pick<Store, 'query'>, id: string): Promise<Project> {
  const list = await listProjects(store, { id });
  if (list.length === 0) throw new QuarryError('intel/not-found', `no project '${id}'`);
  return list[0]!;
}

export async function listProjects(store: Pick<Store, 'query'>, f: { id?: string; user?: string } = {}): Promise<Project[]> {
  const r = await store.query(
    `SELECT p.id, p.name, p.description, p.owner, p.visibility, p.collaborators, p.tags, p.created_at, p.updated_at,
            (SELECT count(*) FROM intel_project_artifacts a WHERE a.project_id = p.id)
     FROM intel_projects p ${f.id ? 'WHERE p.id = $1' : ''} ORDER BY p.created_at, p.name`,
    { params: f.id ? [f.id] : [] },
  );
  const all = r.rows.map((row) => ({
    id: row[0] as string, name: row[1] as string, description: (row[2] as string) ?? '', owner: row[3] as string,
    visibility: row[4] as Visibility, collaborators: JSON.parse(row[5] as string) as string[], tags: JSON.parse(row[6] as string) as string[],
    createdDateTime: iso(row[7]), lastUpdatedDateTime: iso(row[8]), artifactCount: Number(row[9]),
  }));
  if (!f.user) return all;
  return all.filter((p) => p.visibility !== 'private' || p.owner === f.user || p.collaborators.includes(f.user!));
}

export function artifactType(artifact: string): string {
  if (isStixId(artifact)) return 'stix';
  const c = classifyValue(artifact);
  if (!c) return 'other';
  return c.kind === 'ipv4' || c.kind === 'ipv6' ? 'IP' : c.kind === 'md5' || c.kind === 'sha1' || c.kind === 'sha256' || c.kind === 'sha512' ? 'hash' : c.kind;
}

export async function addArtifact(
  store: Db,
  projectId: string,
  a: { artifact: string; type?: string; context?: string; tags?: string[]; creator: string },
): Promise<ProjectArtifact[]> {
  await getProject(store, projectId);
  const c = isStixId(a.artifact) ? null : classifyValue(a.artifact);
  const value = c?.value ?? a.artifact.trim();
  await store.exec(
    `INSERT INTO intel_project_artifacts VALUES ($1, $2, $3, now()::TIMESTAMP, $4, $5, $6)
     ON CONFLICT (project_id, artifact) DO UPDATE SET context = excluded.context, tags = excluded.tags`,
    [projectId, value, a.type ?? artifactType(value), a.creator, a.context ?? '', JSON.stringify(a.tags ?? [])],
  );
  await store.exec('UPDATE intel_projects SET updated_at = now()::TIMESTAMP WHERE id = $1', [projectId]);
  await history(store, projectId, a.creator, 'artifact-added', value);
  return projectArtifacts(store, projectId);
}

export async function removeArtifact(store: Db, projectId: string, artifact: string, actor: string): Promise<void> {
  await store.exec('DELETE FROM intel_project_artifacts WHERE project_id = $1 AND artifact = $2', [projectId, artifact]);
  await store.exec('UPDATE intel_projects SET updated_at = now()::TIMESTAMP WHERE id = $1', [projectId]);
  await history(store, projectId, actor, 'artifact-removed', artifact);
}

export async function addCollaborator(store: Db, projectId: string, user: string, actor: string): Promise<Project> {
  const p = await getProject(store, projectId);
  if (!p.collaborators.includes(user)) {
    await store.exec('UPDATE intel_projects SET collaborators = $2, updated_at = now()::TIMESTAMP WHERE id = $1', [projectId, JSON.stringify([...p.collaborators, user])]);
    await history(store, projectId, actor, 'collaborator-added', user);
  }
  return getProject(store, projectId);
}

export async function projectArtifacts(store: Pick<Store, 'query'>, projectId: string): Promise<ProjectArtifact[]> {
  const r = await store.query(
    'SELECT artifact, type, created_at, creator, context, tags FROM intel_project_artifacts WHERE project_id = $1 ORDER BY created_at, artifact',
    { params: [projectId] },
  );
  return r.rows.map((row) => ({
    artifact: row[0] as string, type: row[1] as string, created: iso(row[2]), creator: row[3] as string,
    context: (row[4] as string) ?? '', tags: JSON.parse(row[5] as string) as string[],
  }));
}

export async function projectHistory(store: Pick<Store, 'query'>, projectId: string): Promise<{ at: string; actor: string; action: string; detail: string }[]> {
  const r = await store.query('SELECT happened_at, actor, action, detail FROM intel_project_history WHERE project_id = $1 ORDER BY happened_at', { params: [projectId] });
  return r.rows.map((row) => ({ at: iso(row[0]), actor: row[1] as string, action: row[2] as string, detail: (row[3] as string) ?? '' }));
}

/** MDTI "project list" CSV; collaborators appear for private ("My") and shared projects only, as in MDTI. */
export function projectListCsv(projects: readonly Project[]): string {
  return toCsv(
    ['name', 'artifacts', 'created by', 'created on', 'tags', 'collaborators'],
    projects.map((p) => [p.name, p.artifactCount, p.owner, p.createdDateTime, p.tags.join('|'), p.visibility === 'team' ? '' : p.collaborators.join('|')]),
  );
}

export function projectDetailsCsv(project: Project, artifacts: readonly ProjectArtifact[]): string {
  return toCsv(
    ['artifact', 'type', 'created', 'creator', 'context', 'tags', 'collaborators'],
    artifacts.map((a) => [a.artifact, a.type, a.created, a.creator, a.context, a.tags.join('|'), project.collaborators.join('|')]),
  );
}
