/**
 * `importIntel`: recognises the format of an intel file (STIX bundle 2.0/2.1, MISP event, MISP galaxy, CSV,
 * free text), converts it to STIX 2.1 and writes it, returning exact counts with reasons.
 */
import fs from 'node:fs';
import path from 'node:path';
import { QuarryError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { convertCsv, convertText, looksLikeCsv } from './flat.js';
import { convertMispEvents, isMispEvent } from './misp-event.js';
import { convertMispGalaxy, isMispGalaxy } from './misp-galaxy.js';
import { writeConversion, type Conversion, type ImportOptions, type ImportReport, type IntelFormat } from './report.js';
import { convertStix, isStixInput } from './stix-bundle.js';

export type { ImportOptions, ImportReport, IntelFormat } from './report.js';

export function convertIntel(text: string, source: string, opts: ImportOptions = {}, format?: IntelFormat): { format: IntelFormat; conv: Conversion } {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (format === 'csv' || (!format && !trimmed.startsWith('{') && !trimmed.startsWith('[') && looksLikeCsv(trimmed))) {
    return { format: 'csv', conv: convertCsv(trimmed, source) };
  }
  if (format === 'text' || (!format && !trimmed.startsWith('{') && !trimmed.startsWith('['))) {
    return { format: 'text', conv: convertText(trimmed, source) };
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (e) {
    throw new QuarryError('intel/bad-format', `${source}: not valid JSON: ${(e as Error).message}`, {
      hints: ['STIX bundles, MISP events and MISP galaxies are JSON; use --format text for free text'],
    });
  }
  if ((!format || format === 'stix') && isStixInput(json)) return { format: 'stix', conv: convertStix(json) };
  if ((!format || format === 'misp-event') && isMispEvent(json)) return { format: 'misp-event', conv: convertMispEvents(json, opts) };
  if ((!format || format === 'misp-galaxy') && isMispGalaxy(json)) return { format: 'misp-galaxy', conv: convertMispGalaxy(json) };
  throw new QuarryError('intel/bad-format', `${source}: not a STIX bundle, MISP event or MISP galaxy${format ? ` (expected ${format})` : ''}`, {
    hints: ['a STIX bundle has "type":"bundle" and "objects"; a MISP event has "Event" (or "response":[{"Event":…}]); a galaxy has "values"'],
  });
}

export async function importIntelText(
  store: Pick<Store, 'query' | 'transaction' | 'exec'>,
  text: string,
  name: string,
  opts: ImportOptions & { format?: IntelFormat } = {},
): Promise<ImportReport> {
  const source = opts.source ?? name;
  const { format, conv } = convertIntel(text, source, opts, opts.format);
  return writeConversion(store, conv, format, source, opts.now);
}

export async function importIntelFile(
  store: Pick<Store, 'query' | 'transaction' | 'exec'>,
  file: string,
  opts: ImportOptions & { format?: IntelFormat } = {},
): Promise<ImportReport> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new QuarryError('core/not-found', `cannot read ${file}: ${(e as Error).message}`);
  }
  return importIntelText(store, text, path.basename(file), opts);
}
