/**
 * From what the browser did to MDTI host pairs. Rules (documented in docs/explorer.md):
 * - an HTTP 3xx hop: `redirect` (host that answered 3xx → host of the next request);
 * - a script- or meta-initiated navigation of the main frame (a client-side redirect): `finalRedirect`
 *   (page host → host the browser ends up on);
 * - a frame document: `iframe.src`; a script: `script.src`; an image: `img.src`; a stylesheet: `link.href`,
 *   or `css.import` when another stylesheet imported it (parent = the importing stylesheet's host);
 *   XHR and fetch: `xmlhttprequest`; any other sub-resource (font, media, …): `unknown`;
 * - an `<a href>` in the final DOM: `a.href`.
 * The parent of a sub-resource is the host of the document that loaded it. Pairs within one host are not
 * kept (they say nothing about infrastructure).
 */
import { hostOfUrl } from '../hostnames.js';
import type { PageObservation } from './crawl-page.js';

export interface HostPair {
  readonly parent: string;
  readonly child: string;
  readonly cause: string;
}

const byType: Record<string, string> = {
  Script: 'script.src', Image: 'img.src', Stylesheet: 'link.href', XHR: 'xmlhttprequest', Fetch: 'xmlhttprequest', EventSource: 'xmlhttprequest',
};

export function hostPairsOf(page: PageObservation): HostPair[] {
  const out = new Map<string, HostPair>();
  const add = (parentUrl: string, childUrl: string, cause: string) => {
    const parent = hostOfUrl(parentUrl);
    const child = hostOfUrl(childUrl);
    if (!parent || !child || parent === child) return;
    out.set(`${parent} ${child} ${cause}`, { parent, child, cause });
  };
  let mainDoc = '';
  for (const r of page.requests) {
    if (r.redirectedFrom !== undefined) {
      add(r.redirectedFrom, r.url, 'redirect');
      if (r.mainFrame) mainDoc = r.url;
      continue;
    }
    if (r.type === 'Document') {
      if (r.mainFrame) {
        if (mainDoc && (r.initiatorType === 'script' || r.initiatorType === 'parser' || r.initiatorType === 'other')) add(mainDoc, r.url, 'finalRedirect');
        mainDoc = r.url;
      } else {
        add(r.initiatorUrl || mainDoc, r.url, 'iframe.src');
      }
      continue;
    }
    const parentDoc = r.documentUrl || mainDoc;
    if (r.type === 'Stylesheet' && /\.css(\?|#|$)/i.test(r.initiatorUrl) && hostOfUrl(r.initiatorUrl) !== '') {
      add(r.initiatorUrl, r.url, 'css.import');
      continue;
    }
    add(parentDoc, r.url, byType[r.type] ?? 'unknown');
  }
  for (const link of page.links) if (/^https?:/i.test(link)) add(page.finalUrl, link, 'a.href');
  return [...out.values()];
}
