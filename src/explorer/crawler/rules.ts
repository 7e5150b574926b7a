/**
 * The crawler's detection rules, as data (documented in docs/explorer.md):
 * - trackers: regular expressions over page HTML and script bodies; the first group is the value;
 * - components from response headers (`Server`, `X-Powered-By`, …) with `name/version` splitting;
 * - components from markup: `<meta name="generator">`, well-known script file names with a version.
 */
export interface TrackerRule {
  readonly type: string;
  readonly re: RegExp;
}

export const trackerRules: readonly TrackerRule[] = [
  { type: 'GoogleAnalyticsID', re: /\b(UA-\d{4,10}-\d{1,4})\b/g },
  { type: 'GoogleAnalyticsID', re: /\b(G-[A-Z0-9]{6,12})\b/g },
  { type: 'GoogleTagManagerID', re: /\b(GTM-[A-Z0-9]{4,9})\b/g },
  { type: 'GoogleAdsID', re: /\b(AW-\d{8,12})\b/g },
  { type: 'FacebookPixelID', re: /fbq\(\s*['"]init['"]\s*,\s*['"](\d{12,17})['"]/g },
  { type: 'YandexMetricaCounterID', re: /\bym\(\s*(\d{5,10})\s*,\s*['"]init['"]/g },
  { type: 'MixpanelToken', re: /mixpanel\.init\(\s*['"]([a-f0-9]{32})['"]/g },
  { type: 'NewRelicLicenseKey', re: /licenseKey\s*[:=]\s*['"]([A-Za-z0-9]{10,40})['"]/g },
  { type: 'ClickyID', re: /clicky_site_ids\.push\(\s*(\d{5,12})\s*\)/g },
  { type: 'MatomoSiteID', re: /_paq\.push\(\s*\[\s*['"]setSiteId['"]\s*,\s*['"]?(\d{1,6})['"]?\s*\]/g },
  { type: 'HotjarID', re: /\bhjid\s*:\s*(\d{5,10})/g },
];

export interface Found {
  readonly type: string;
  readonly value: string;
}

export function findTrackers(text: string): Found[] {
  const out = new Map<string, Found>();
  for (const r of trackerRules) {
    for (const m of text.matchAll(r.re)) out.set(`${r.type}\u0000${m[1]}`, { type: r.type, value: m[1]! });
  }
  return [...out.values()];
}

export interface Component {
  readonly category: string;
  readonly name: string;
  readonly version: string;
}

/** Response headers that name software: header → category. */
const headerRules: Record<string, string> = {
  server: 'Server',
  'x-powered-by': 'Framework',
  'x-aspnet-version': 'Framework',
  'x-aspnetmvc-version': 'Framework',
  'x-generator': 'CMS',
  'x-drupal-cache': 'CMS',
  via: 'Proxy',
};

const fixedNames: Record<string, string> = { 'x-aspnet-version': 'ASP.NET', 'x-aspnetmvc-version': 'ASP.NET MVC', 'x-drupal-cache': 'Drupal' };

/** `nginx/1.18.0 (Ubuntu)` → [{nginx, 1.18.0}]; `Apache` → [{Apache, ''}]. */
function products(value: string): { name: string; version: string }[] {
  const out: { name: string; version: string }[] = [];
  for (const m of value.matchAll(/([A-Za-z][\w.-]*(?: [A-Z][\w-]*)?)(?:\/([\w.-]+))?/g)) {
    if (/^\(/.test(m[0])) continue;
    out.push({ name: m[1]!, version: m[2] ?? '' });
    break; // the first product token names the software; comments and further tokens are details
  }
  return out;
}

export function componentsFromHeaders(headers: Record<string, string>): Component[] {
  const out: Component[] = [];
  for (const [rawName, value] of Object.entries(headers)) {
    const h = rawName.toLowerCase();
    const category = headerRules[h];
    if (!category || !value) continue;
    if (fixedNames[h]) out.push({ category, name: fixedNames[h]!, version: h === 'x-drupal-cache' ? '' : value.trim() });
    else for (const p of products(value)) out.push({ category, ...p });
  }
  return out;
}

const scriptLibraries: [RegExp, string][] = [
  [/jquery[.-]?(\d+\.\d+(?:\.\d+)?)(?:\.min)?\.js/i, 'jQuery'],
  [/bootstrap[.-]?(\d+\.\d+(?:\.\d+)?)(?:\.bundle)?(?:\.min)?\.js/i, 'Bootstrap'],
  [/react(?:-dom)?[.-]?(\d+\.\d+(?:\.\d+)?)(?:\.production)?(?:\.min)?\.js/i, 'React'],
  [/angular[.-]?(\d+\.\d+(?:\.\d+)?)(?:\.min)?\.js/i, 'AngularJS'],
  [/vue[.-]?(\d+\.\d+(?:\.\d+)?)(?:\.min)?\.js/i, 'Vue.js'],
];

export function componentsFromHtml(html: string, scriptUrls: readonly string[]): Component[] {
  const out: Component[] = [];
  for (const m of html.matchAll(/<meta\s+[^>]*name\s*=\s*["']generator["'][^>]*>/gi)) {
    const content = /content\s*=\s*["']([^"']+)["']/i.exec(m[0])?.[1];
    if (!content) continue;
    const v = /^(.*?)\s+v?(\d+(?:\.\d+)*)\b/.exec(content.trim());
    out.push({ category: 'CMS', name: v ? v[1]! : content.trim(), version: v ? v[2]! : '' });
  }
  for (const u of scriptUrls) {
    for (const [re, name] of scriptLibraries) {
      const m = re.exec(u);
      if (m) out.push({ category: 'JavaScript Library', name, version: m[1]! });
    }
  }
  return out;
}
