import { expect, test } from './fixtures';
import { hydrated } from './helper';

test('bundles travel compressed under names that carry their hash, so a browser keeps them; pages are never stored', async ({ page }) => {
  const wasm = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('.wasm'));
  const html = await page.goto('/login');
  const bundle = await wasm;
  await hydrated(page);

  expect(new URL(bundle.url()).pathname).toMatch(/^\/pkg\/caseport\.[A-Za-z0-9_-]{22}\.wasm$/);
  const headers = await bundle.allHeaders();
  expect(headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(headers['content-encoding']).toMatch(/^(br|gzip)$/);
  await expect(page.locator('link#leptos')).toHaveAttribute('href', /^\/pkg\/caseport\.[A-Za-z0-9_-]{22}\.css$/);

  expect((await html!.allHeaders())['cache-control']).toBe('no-store');
});
