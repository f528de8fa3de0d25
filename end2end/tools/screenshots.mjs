// Saves a PNG of every main page, as each demo role sees it, at desktop
// and phone width, in the light and the dark colour scheme.
//   node end2end/tools/screenshots.mjs <base-url> <out-dir>
// scripts/screenshots.sh starts the demo and calls this.
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base = 'http://127.0.0.1:3100', out = 'target/screenshots'] = process.argv.slice(2);
const PASSWORD = 'caseport-demo-2026';
mkdirSync(out, { recursive: true });

// Who signs in, and the pages they open. A page given as a function is
// found on the page before it (a link's target), so ids need not be known.
// A third element is done on the page before the picture (opening a panel).
const tours = [
  { who: null, pages: [['login', '/login'], ['portal-sign-in', '/portal/harbour']] },
  {
    who: 'casey@riverside.example',
    pages: [
      ['practice-cases', '/'],
      ['case', async (p) => firstLink(p, 'table[aria-label="Cases"] tbody a')],
      ['new-referral', '/cases/new'],
      ['account', '/account'],
    ],
  },
  {
    who: 'okafor@riverside.example',
    pages: [
      ['doctor-cases', '/'],
      ['notifications', '/', (p) => p.getByRole('button', { name: /^Notifications/ }).click()],
    ],
  },
  { who: 'admin@riverside.example', pages: [['practice-admin', '/']] },
  {
    who: 'admin@harbour.example',
    pages: [
      ['agency-clients', '/clients'],
      ['agency-client', async (p) => firstLink(p, 'table[aria-label="Clients"] tbody a')],
      ['case-managers', '/case-managers'],
      ['case-manager', async (p) => firstLink(p, 'table[aria-label="Case managers"] tbody a')],
      ['messages', '/messages'],
      ['settings', '/settings'],
      ['activity-log', '/activity'],
    ],
  },
  {
    who: 'erin@northcounty.example',
    portal: 'harbour',
    pages: [
      ['portal-clients', '/portal/harbour'],
      ['portal-client', async (p) => firstLink(p, 'table[aria-label="My clients"] tbody a')],
      ['portal-hours', async (p) => `${new URL(p.url()).pathname}?tab=hours_summary`],
      ['portal-messages', async (p) => `${new URL(p.url()).pathname}?tab=messages`],
      ['portal-reports', '/portal/harbour/reports'],
    ],
  },
];

async function firstLink(page, selector) {
  const href = await page.locator(selector).first().getAttribute('href');
  if (!href) throw new Error(`no link at ${selector} on ${page.url()}`);
  return href;
}

async function signIn(context, who, portal) {
  const form = { email: who, password: PASSWORD };
  const r = await context.request.post(`${base}/api/auth/login`, {
    form,
    headers: { Origin: base },
  });
  if (!r.ok()) throw new Error(`sign-in of ${who}: ${r.status()}`);
  if (portal) {
    // A case manager accepts the terms of use once.
    await context.request.post(`${base}/api/portal/terms/accept`, {
      form: { version: '1' },
      headers: { Origin: base },
    });
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const sizes = [['desktop', 1280, 900], ['phone', 390, 844]];
let saved = 0;
for (const tour of tours) {
  for (const scheme of ['light', 'dark']) {
    for (const [size, width, height] of sizes) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
      if (tour.who) await signIn(context, tour.who, tour.portal);
      const page = await context.newPage();
      for (const [name, target, act] of tour.pages) {
        const url = typeof target === 'function' ? await target(page) : target;
        await page.goto(new URL(url, base).toString());
        await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 15000 });
        await page.waitForTimeout(300);
        if (act) {
          await act(page);
          await page.waitForTimeout(500);
        }
        const file = join(out, `${name}-${size}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        saved += 1;
      }
      await context.close();
    }
  }
}
await browser.close();
console.log(`saved ${saved} screenshots under ${out}`);
