// Every spec imports `test` from here. Its automatic fixture watches every
// page the test opens (in any browser context it creates) and, after the
// test, checks each distinct page it saw against WCAG 2.2 AA with axe-core,
// in the light and the dark colour scheme, and checks that at 390 px wide
// the page does not scroll sideways. The check runs on a copy of the page
// as the test saw it (its DOM at that moment, with the live stylesheets),
// so it neither races the test nor depends on the session still being
// signed in. A violation fails the test that visited the page.
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export { expect };
export type { Browser, BrowserContext, Locator, Page } from '@playwright/test';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PHONE_WIDTH = 390;

type Snapshot = { url: string; key: string; html: string };

// One check per page and role in the whole run: ids become `:id`, the
// query is dropped but for a `tab`, and the signed-in user's role is part of the key.
const checked = new Set<string>();

function keyFor(url: string, who: string): string {
  const u = new URL(url);
  // A tab is a page of its own; filters and pages of a list are not.
  const tab = u.searchParams.get('tab');
  return `${u.pathname.replace(/\/\d+(?=\/|$)/g, '/:id')}${tab ? `?tab=${tab}` : ''} as ${who}`;
}

function watch(page: Page, snapshots: Promise<Snapshot | null>[]) {
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame() || !frame.url().startsWith('http')) return;
    snapshots.push(capture(page));
  });
}

/** The page as it stands once hydrated and its data has arrived. */
async function capture(page: Page): Promise<Snapshot | null> {
  try {
    await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(600);
    const url = page.url();
    // Pages differ by role, not by person: "Case manager", "Doctor"…
    const org = await page.locator('[data-testid="who-am-i"] .org').first().textContent({ timeout: 500 }).catch(() => null);
    const role = org?.split('·').map((p) => p.trim()).find(Boolean) ?? 'nobody';
    return { url, key: keyFor(url, role), html: await page.content() };
  } catch {
    return null; // the page closed or moved on first: its successor is captured
  }
}

/** Checks a copy of `snap` in a context of the given colour scheme. */
async function check(context: BrowserContext, scheme: 'light' | 'dark', snap: Snapshot): Promise<string[]> {
  const problems: string[] = [];
  const page = await context.newPage();
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.route('**/*', async (route) => {
      const req = route.request();
      if (req.isNavigationRequest()) {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: snap.html });
      }
      // No script: the copy stays as the test saw it.
      if (/\.(js|wasm)(\?|$)/.test(req.url()) || req.resourceType() === 'fetch') return route.abort();
      return route.continue();
    });
    await page.goto(snap.url, { waitUntil: 'load' });
    const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    for (const v of result.violations) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
      problems.push(`${snap.url} [${scheme}] ${v.id} (${v.impact}): ${v.help} — ${where}`);
    }
    if (scheme === 'light') {
      await page.setViewportSize({ width: PHONE_WIDTH, height: 844 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      if (overflow > 0) problems.push(`${snap.url} [${PHONE_WIDTH} px] scrolls sideways by ${overflow} px`);
    }
  } finally {
    await page.close();
  }
  return problems;
}

export const test = base.extend<{ accessible: void }>({
  accessible: [
    async ({ page, browser }, use) => {
      const snapshots: Promise<Snapshot | null>[] = [];
      watch(page, snapshots);
      // Contexts the test makes itself (a second user) are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
        const context = await newContext(...args);
        context.on('page', (p) => watch(p, snapshots));
        return context;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      const fresh = new Map<string, Snapshot>();
      for (const snap of await Promise.all(snapshots)) {
        if (snap && !checked.has(snap.key) && !fresh.has(snap.key)) fresh.set(snap.key, snap);
      }
      const problems: string[] = [];
      for (const scheme of ['light', 'dark'] as const) {
        if (fresh.size === 0) break;
        const context = await browser.newContext({ colorScheme: scheme });
        try {
          for (const snap of fresh.values()) problems.push(...(await check(context, scheme, snap)));
        } finally {
          await context.close();
        }
      }
      // Only a page checked to the end counts as checked.
      for (const key of fresh.keys()) checked.add(key);
      expect(problems, 'accessibility (axe, WCAG 2.2 AA) and reflow at 390 px').toEqual([]);
    },
    // The checks run after the test, on a clock of their own.
    { auto: true, timeout: 180_000 },
  ],
});
