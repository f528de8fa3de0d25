import type { Response } from '@playwright/test';
import { expect, test } from './fixtures';
import { hydrated, signIn } from './helper';

/** Every wasm file the page fetches, by path. */
function wasmFetches(page: import('@playwright/test').Page): Map<string, Response> {
  const seen = new Map<string, Response>();
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) seen.set(path, r);
  });
  return seen;
}

const HASHED = /^\/pkg\/[A-Za-z0-9_]+\.[A-Za-z0-9_-]{22}\.(wasm|js)$/;

test('bundles travel compressed under names that carry their hash, so a browser keeps them; pages are never stored', async ({ page }) => {
  const wasm = wasmFetches(page);
  const html = await page.goto('/login');
  await hydrated(page);
  // Response events can trail the page a little.
  await expect.poll(() => wasm.size).toBeGreaterThan(1);

  const main = [...wasm.keys()].filter((p) => /^\/pkg\/caseport\.[A-Za-z0-9_-]{22}\.wasm$/.test(p));
  expect(main).toHaveLength(1);
  for (const [path, response] of wasm) {
    expect(path).toMatch(HASHED);
    const headers = await response.allHeaders();
    expect(headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(headers['content-encoding']).toMatch(/^(br|gzip)$/);
  }
  await expect(page.locator('link#leptos')).toHaveAttribute('href', /^\/pkg\/caseport\.[A-Za-z0-9_-]{22}\.css$/);

  expect((await html!.allHeaders())['cache-control']).toBe('no-store');
});

test('pages come in chunks by audience: the sign-in page does not download the pages behind it, and opening one fetches its chunk', async ({ page }) => {
  const wasm = wasmFetches(page);
  const fetched = (group: string) => [...wasm.keys()].some((p) => p.includes(`_${group}_`));
  await page.goto('/login');
  await hydrated(page);
  // The server names the route's chunk in the page head, so it loads beside
  // the main bundle, before hydration.
  await expect.poll(() => fetched('signed_out_pages')).toBe(true);
  expect(fetched('start_pages')).toBe(false);
  expect(fetched('case_pages')).toBe(false);

  await signIn(page, 'ortiz@riverside.example');
  await expect(page.getByRole('heading', { level: 1, name: 'My cases' })).toBeVisible();
  await hydrated(page);
  await expect.poll(() => fetched('start_pages')).toBe(true);
  // A doctor never downloads the agency's desk or the portal.
  expect(fetched('admin_pages')).toBe(false);
  expect(fetched('portal_pages')).toBe(false);
  expect(fetched('case_pages')).toBe(false);

  // A client-side navigation to a page of a group not yet seen fetches its
  // chunk, then the page works. While the chunk is on its way (held back
  // here, as a slow line would), the page says it is busy.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/split_case_pages_/, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole('table', { name: 'Cases' }).getByRole('link', { name: 'Maria Gonzalez' }).click();
  await expect(page.locator('main#main-content')).toHaveAttribute('aria-busy', 'true');
  await expect(page.locator('.route-progress')).toHaveClass(/active/);
  release();
  await expect(page.getByRole('heading', { level: 1, name: 'Maria Gonzalez' })).toBeVisible();
  await expect(page.locator('main#main-content')).not.toHaveAttribute('aria-busy', 'true');
  await expect.poll(() => fetched('case_pages')).toBe(true);
  expect(fetched('admin_pages')).toBe(false);
});
