import { expect, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEMO_PASSWORD = 'caseport-demo-2026';

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

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
}

// Written by `caseport smtp-sink`, the real SMTP server the app sends to.
const MAIL_DIR = process.env.CASEPORT_E2E_MAIL_DIR ?? '../target/e2e/mail';

/** The first link matching `pattern` in the newest message to `email`, waiting for it. */
export async function mailedLink(email: string, pattern: RegExp): Promise<string> {
  let link = '';
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
          link = m[0];
          return true;
        }
      }
      return false;
    })
    .toBe(true);
  return link;
}
