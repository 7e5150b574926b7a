/** Quarry's version, read once from package.json (two levels above both `src/api` and `dist/api`). */
import fs from 'node:fs';

let cached: string | undefined;

export function quarryVersion(): string {
  if (cached === undefined) {
    try {
      const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
      cached = pkg.version ?? '0.0.0';
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}
