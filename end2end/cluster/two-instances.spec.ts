import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addWeeklyReport, hydrated, mailedLink, signIn } from '../tests/helper';

// Two instances behind the proxy (scripts/cluster-e2e.sh). The tests reach
// each one directly too: to read its metrics, and to upload through one
// and download through the other. Cookies are not kept apart by port, so
// a session made through the proxy goes to both.
const INSTANCES = ['http://127.0.0.1:3001', 'http://127.0.0.1:3002'];
const DATABASE = process.env.CLUSTER_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/caseport_cluster';
const MAIL_DIR = process.env.CASEPORT_E2E_MAIL_DIR ?? '../target/cluster/mail';

/** One value from the shared database, as psql prints it. */
function sql(query: string): string {
  return execFileSync('psql', [DATABASE, '-At', '-c', query], { encoding: 'utf8' }).trim();
}

/** Requests an instance has answered for `route` (its own /metrics: it
 * answers the machine itself without a token). */
async function served(instance: string, route: string): Promise<number> {
  const page = await (await fetch(`${instance}/metrics`)).text();
  return page
    .split('\n')
    .filter((l) => l.startsWith('caseport_http_requests_total{') && l.includes(`route="${route}"`))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

/** Messages in the mail sink that mention every one of `needles`. */
function mails(...needles: string[]): number {
  return readdirSync(MAIL_DIR)
    .map((f) => readFileSync(join(MAIL_DIR, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '='))
    .filter((text) => needles.every((n) => text.includes(n))).length;
}

test('requests through the proxy land on both instances and one session works on either', async ({ page }) => {
  await signIn(page, 'okafor@riverside.example');
  await expect(page.getByLabel('Signed-in user')).toContainText('Dr. Ben Okafor');
  const before = await Promise.all(INSTANCES.map((i) => served(i, '/api/auth/me')));
  // The proxy takes turns: consecutive calls go to alternate instances,
  // and each must know the session.
  for (let n = 0; n < 6; n++) {
    const me = await page.request.get('/api/auth/me');
    expect(me.status()).toBe(200);
    expect(await me.text()).toContain('okafor@riverside.example');
  }
  const after = await Promise.all(INSTANCES.map((i) => served(i, '/api/auth/me')));
  for (const [n, count] of after.entries()) {
    expect(count, `instance ${INSTANCES[n]} answered none`).toBeGreaterThan(before[n]);
  }
  // Whole pages too, whichever instance renders them.
  for (let n = 0; n < 4; n++) {
    await page.goto('/');
    await expect(page.getByLabel('Signed-in user')).toContainText('Dr. Ben Okafor');
  }
});

test('a document uploaded through one instance downloads through the other', async ({ page }) => {
  await signIn(page, 'sam@harbour.example');
  await expect(page.getByLabel('Signed-in user')).toContainText('Sam Scheduler');
  const [first, second] = INSTANCES;
  await page.goto(`${first}/clients`);
  await page.getByRole('link', { name: 'Dorothy Evans' }).click();
  await hydrated(page);
  const clientPath = new URL(page.url()).pathname;
  const name = `Shared plan ${Date.now()}.pdf`;
  const content = `%PDF-1.4\n% ${name}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`;
  const upload = page.getByRole('form', { name: 'Upload a document' });
  await upload.getByLabel('File').setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from(content) });
  await upload.getByLabel('Category').selectOption({ label: 'Care Plans (Always)' });
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('status')).toHaveText(`Document uploaded: ${name}.`);

  await page.goto(`${second}${clientPath}`);
  const link = page.getByRole('link', { name });
  await expect(link).toBeVisible();
  const href = await link.getAttribute('href');
  const download = await page.request.get(`${second}${href}`);
  expect(download.status()).toBe(200);
  expect((await download.body()).toString('utf8')).toBe(content);
  // The bytes are in the shared bucket, under a random key, not in either
  // instance's own folder.
  const listing = await (await fetch('http://127.0.0.1:5056/caseport-cluster')).text();
  expect(listing).toContain('<Key>');
  expect(listing).not.toContain('Shared plan');
});

test('a due automated report and a queued mail go out once, with both instances polling', async ({ page }) => {
  await signIn(page, 'admin@harbour.example');
  await expect(page.getByLabel('Signed-in user')).toContainText('Harper Admin');
  await page.goto('/settings');
  await hydrated(page);
  await addWeeklyReport(page, 'Carlos Diaz', 'Schedule Report', 'Friday', 'Erin External');

  // Due now rather than on Friday; both schedulers look every second.
  const schedule = sql("SELECT max(id) FROM report_schedules WHERE active");
  sql(`UPDATE report_schedules SET next_run_at = now() - interval '1 minute' WHERE id = ${schedule}`);
  await expect.poll(() => sql(`SELECT count(*) FROM reports WHERE schedule_id = ${schedule}`), { timeout: 15_000 }).toBe('1');
  await expect.poll(() => mails('erin@northcounty.example', 'a new report is in your portal')).toBe(1);
  // Several more rounds of both schedulers: still one report, one mail,
  // and the next run is in the future.
  await page.waitForTimeout(4_000);
  expect(sql(`SELECT count(*) FROM reports WHERE schedule_id = ${schedule}`)).toBe('1');
  expect(mails('erin@northcounty.example', 'a new report is in your portal')).toBe(1);
  expect(sql(`SELECT next_run_at > now() FROM report_schedules WHERE id = ${schedule}`)).toBe('t');

  // A password-reset link goes through the outbox, which both instances
  // drain every second.
  await page.context().clearCookies();
  await page.goto('/password-reset');
  await hydrated(page);
  await page.getByLabel('E-mail').fill('admin@hillside.example');
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('status')).toContainText('If that address has an account');
  await mailedLink('admin@hillside.example', /https?:\/\/\S+\/password-reset\?token=[0-9a-f]{64}/);
  await page.waitForTimeout(4_000);
  expect(mails('admin@hillside.example', '/password-reset?token=')).toBe(1);
  expect(sql("SELECT count(*) FROM mail_outbox WHERE to_address = 'admin@hillside.example' AND sent_at IS NOT NULL")).toBe('1');
});
