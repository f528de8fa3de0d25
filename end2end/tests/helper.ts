import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const DEMO_PASSWORD = 'caseport-demo-2026';

/** `YYYY-MM-DD` of the day `offset` days from today on Chicago's calendar:
 * Harbour, the demo agency, is in America/Chicago, and its date fields and
 * filters are its days. */
export function chicagoDay(offset = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

/** Server-rendered HTML is clickable before the wasm loads: wait for it. */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Erin follows `url` into Harbour's portal in a browser of her own and
 * signs in there; returns her page, on her clients, hydrated. */
export async function erinOpens(browser: Browser, url = '/portal/harbour'): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await hydrated(page);
  const form = page.getByRole('form', { name: 'Sign in to the portal' });
  await form.getByLabel('E-mail').fill('erin@northcounty.example');
  await form.getByLabel('Password').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'My clients' })).toBeVisible();
  await hydrated(page);
  return page;
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** On the settings page, adds a weekly automated report for `client` to
 * `caseManager` and waits for it in the list. */
export async function addWeeklyReport(page: Page, client: string, kind: string, day: string, caseManager: string) {
  const form = page.getByRole('form', { name: 'Add an automated report' });
  await form.getByLabel('Client').selectOption({ label: client });
  await form.getByLabel('Report type').selectOption({ label: kind });
  // The form's nested suspense hydrates a moment after the page: repeat
  // the choice until the form follows it.
  await expect(async () => {
    await form.getByLabel('Frequency').selectOption('monthly');
    await form.getByLabel('Frequency').selectOption('weekly');
    await expect(form.getByLabel('Day of the week')).toBeVisible({ timeout: 500 });
  }).toPass();
  await form.getByLabel('Day of the week').selectOption({ label: day });
  await form.getByLabel(caseManager).check();
  await form.getByRole('button', { name: 'Add automated report' }).click();
  await expect(
    page.getByRole('table', { name: 'Automated reports' }).getByRole('row', { name: new RegExp(`${client}.*${kind}.*Weekly on ${day}.*${caseManager}`) }),
  ).toBeVisible();
}

// Written by `caseport smtp-sink`, the real SMTP server the app sends to.
const MAIL_DIR = process.env.CASEPORT_E2E_MAIL_DIR ?? '../target/e2e/mail';

/** The first link matching `pattern` in the newest message to `email`, waiting for it. */
export async function mailedLink(email: string, pattern: RegExp): Promise<string> {
  return (await mailed(email, pattern)).match;
}

/** The newest message to `email` in which `pattern` matches, waiting for
 * it: the match and the whole message. */
export async function mailed(email: string, pattern: RegExp): Promise<{ match: string; text: string }> {
  let found = { match: '', text: '' };
  await expect
    .poll(() => {
      let files: string[] = [];
      try {
        files = readdirSync(MAIL_DIR).sort().reverse();
      } catch {
        return false;
      }
      for (const f of files) {
        // Undo quoted-printable soft breaks and escapes.
        const text = readFileSync(join(MAIL_DIR, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
        if (!text.includes(email)) continue;
        const m = text.match(pattern);
        if (m) {
          found = { match: m[0], text };
          return true;
        }
      }
      return false;
    })
    .toBe(true);
  return found;
}

/** The text of every page of a PDF, as a PDF reader extracts it. */
export async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const fonts = join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: fonts }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages.join('\n');
}

/** Clicks a download link and returns the file's bytes and name. */
export async function downloaded(page: Page, link: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

/** Fills and sends the new-referral form as a doctor, `by` referring the
 * patient to `to` (names as the directory shows them); returns the new
 * case's id, its page open. */
export async function referNewPatient(page: Page, patient: string, reason: string, by: string, to: string): Promise<string> {
  await page.goto('/cases/new');
  await hydrated(page);
  const form = page.getByRole('form', { name: 'New referral' });
  await form.getByLabel('Patient name').fill(patient);
  await form.getByLabel('Reason for referral').fill(reason);
  const from = form.getByLabel('Referring doctor');
  await from.selectOption((await from.locator('option', { hasText: by }).getAttribute('value'))!);
  const target = form.getByLabel('Refer to', { exact: true });
  await target.selectOption((await target.locator('option', { hasText: to }).getAttribute('value'))!);
  await form.getByRole('button', { name: 'Send referral' }).click();
  await expect(page.getByRole('heading', { name: patient })).toBeVisible();
  return page.url().match(/\/cases\/(\d+)/)![1];
}
