/**
 * One page load in headless Chromium, observed through CDP: every request with its initiator, redirect
 * hops, responses (status, headers, Set-Cookie), script and document bodies (size-capped) and, after the
 * page settles, the DOM's title, links and outer HTML. Pair causes are decided in `causes.ts`.
 */
import type { CdpBrowser, CdpEvent } from './cdp-pipe.js';

export interface RequestRecord {
  readonly requestId: string;
  readonly url: string;
  readonly type: string;
  readonly frameId: string;
  readonly documentUrl: string;
  readonly initiatorType: string;
  readonly initiatorUrl: string;
  /** Set when this request is a redirect hop: the URL that answered 3xx. */
  readonly redirectedFrom?: string;
  /** Whether this request is a navigation of the page's main frame. */
  readonly mainFrame: boolean;
}

export interface ResponseRecord {
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly type: string;
}

export interface PageObservation {
  readonly url: string;
  readonly finalUrl: string;
  readonly status: number;
  readonly title: string;
  readonly html: string;
  readonly links: readonly string[];
  readonly requests: readonly RequestRecord[];
  readonly responses: readonly ResponseRecord[];
  readonly setCookies: readonly { url: string; header: string }[];
  readonly bodies: readonly { url: string; type: string; text: string }[];
  readonly cookies: readonly { name: string; domain: string }[];
  readonly truncated: boolean;
}

export interface PageLimits {
  readonly timeoutMs: number;
  /** Quiet network time after the last load before the page counts as settled. */
  readonly settleMs: number;
  readonly maxBodyBytes: number;
  readonly maxRequests: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function observePage(browser: CdpBrowser, url: string, limits: PageLimits): Promise<PageObservation> {
  const { targetId } = await browser.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await browser.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
  const send = <T = Record<string, unknown>>(m: string, p: Record<string, unknown> = {}) => browser.send<T>(m, p, sessionId);
  const requests: RequestRecord[] = [];
  const byId = new Map<string, { url: string; type: string }>();
  const responses: ResponseRecord[] = [];
  const setCookies: { url: string; header: string }[] = [];
  const bodyWanted: { requestId: string; url: string; type: string }[] = [];
  const inflight = new Set<string>();
  let mainFrameId = '';
  let lastActivity = Date.now();
  let lastLoad = 0;
  let lastMainNav = 0;
  let truncated = false;
  let mainStatus = 0;
  let mainDocRequest = '';

  const off = browser.on((e: CdpEvent) => {
    if (e.sessionId !== sessionId) return;
    const p = e.params as Record<string, any>;
    switch (e.method) {
      case 'Network.requestWillBeSent': {
        lastActivity = Date.now();
        if (requests.length >= limits.maxRequests) {
          truncated = true;
          return;
        }
        const type = String(p.type ?? 'Other');
        const isMain = type === 'Document' && p.frameId === mainFrameId;
        if (isMain) {
          lastMainNav = Date.now();
          mainDocRequest = p.requestId;
        }
        inflight.add(p.requestId);
        const stackUrl = p.initiator?.stack?.callFrames?.[0]?.url ?? '';
        requests.push({
          requestId: p.requestId, url: p.request.url, type, frameId: p.frameId ?? '', documentUrl: p.documentURL ?? '',
          initiatorType: p.initiator?.type ?? 'other', initiatorUrl: p.initiator?.url ?? stackUrl,
          ...(p.redirectResponse ? { redirectedFrom: p.redirectResponse.url as string } : {}), mainFrame: isMain,
        });
        byId.set(p.requestId, { url: p.request.url, type });
        break;
      }
      case 'Network.responseReceived': {
        lastActivity = Date.now();
        const r = p.response;
        responses.push({ url: r.url, status: r.status, headers: r.headers ?? {}, type: p.type });
        if (p.requestId === mainDocRequest) mainStatus = r.status;
        if ((p.type === 'Document' || p.type === 'Script') && bodyWanted.length < 200) bodyWanted.push({ requestId: p.requestId, url: r.url, type: p.type });
        break;
      }
      case 'Network.responseReceivedExtraInfo': {
        const req = byId.get(p.requestId);
        for (const [k, v] of Object.entries<string>(p.headers ?? {})) {
          if (k.toLowerCase() === 'set-cookie' && req) for (const line of String(v).split('\n')) setCookies.push({ url: req.url, header: line });
        }
        break;
      }
      case 'Network.loadingFinished':
      case 'Network.loadingFailed':
        lastActivity = Date.now();
        inflight.delete(p.requestId);
        break;
      case 'Page.loadEventFired':
        lastLoad = Date.now();
        lastActivity = Date.now();
        break;
    }
  });
  try {
    await send('Network.enable', { maxTotalBufferSize: limits.maxBodyBytes * 4, maxResourceBufferSize: limits.maxBodyBytes });
    await send('Page.enable');
    const tree = await send<{ frameTree: { frame: { id: string } } }>('Page.getFrameTree');
    mainFrameId = tree.frameTree.frame.id;
    const nav = await send<{ frameId: string; errorText?: string }>('Page.navigate', { url });
    mainFrameId = nav.frameId;
    const deadline = Date.now() + limits.timeoutMs;
    // Settled: a load event after the last main-frame navigation, and a quiet network for settleMs.
    while (Date.now() < deadline) {
      await sleep(50);
      const quiet = Date.now() - lastActivity >= limits.settleMs;
      if (lastLoad >= lastMainNav && lastLoad > 0 && quiet && inflight.size === 0) break;
      if (quiet && lastLoad >= lastMainNav && lastLoad > 0 && Date.now() - lastActivity > limits.settleMs * 4) break;
    }
    const evaluate = async (expression: string) =>
      (await send<{ result: { value?: unknown } }>('Runtime.evaluate', { expression, returnByValue: true })).result.value;
    const title = String((await evaluate('document.title')) ?? '');
    const finalUrl = String((await evaluate('location.href')) ?? url);
    const html = String((await evaluate('document.documentElement ? document.documentElement.outerHTML : ""')) ?? '').slice(0, limits.maxBodyBytes);
    const links = ((await evaluate('[...document.querySelectorAll("a[href]")].map(a => a.href)')) as string[] | undefined) ?? [];
    const bodies: { url: string; type: string; text: string }[] = [];
    for (const b of bodyWanted) {
      try {
        const r = await send<{ body: string; base64Encoded: boolean }>('Network.getResponseBody', { requestId: b.requestId });
        const text = r.base64Encoded ? Buffer.from(r.body, 'base64').toString('utf8') : r.body;
        bodies.push({ url: b.url, type: b.type, text: text.slice(0, limits.maxBodyBytes) });
      } catch {
        // evicted from the buffer or not kept (redirect): nothing to scan
      }
    }
    const ck = await send<{ cookies: { name: string; domain: string }[] }>('Network.getCookies', { urls: [finalUrl] });
    return {
      url, finalUrl, status: mainStatus, title, html, links, requests, responses, setCookies, bodies,
      cookies: ck.cookies.map((c) => ({ name: c.name, domain: c.domain })), truncated,
    };
  } finally {
    off();
    await browser.send('Target.closeTarget', { targetId }).catch(() => undefined);
  }
}
