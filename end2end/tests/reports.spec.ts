import { expect, test } from './fixtures';
import { addWeeklyReport, chicagoDay as day, downloaded, erinOpens, hydrated, mailedLink, pdfText, signIn } from './helper';

test.describe.configure({ mode: 'serial' });

test('staff send a report: it is mailed as a link, and the case manager downloads the PDF from the portal', async ({ page, browser }) => {
  await signIn(page, 'sam@harbour.example');
  await expect(page.getByLabel('Signed-in user')).toContainText('Sam Scheduler');
  await page.goto('/clients');
  await page.getByRole('link', { name: 'Alice Brown' }).click();
  await hydrated(page);
  const send = page.getByRole('form', { name: 'Send a report' });
  await send.getByLabel('Report type').selectOption({ label: 'Monthly Summary' });
  await send.getByLabel('From').fill(day(-90));
  await send.getByLabel('To').fill(day(0));
  await send.getByLabel('Erin External').check();
  await send.getByRole('button', { name: 'Send to Case Manager' }).click();
  await expect(page.getByText('Report sent to 1 case manager')).toBeVisible();
  const sent = page.getByRole('table', { name: 'Reports' });
  await expect(sent.getByRole('row', { name: /Monthly Summary.*Erin External/ })).toBeVisible();

  const link = await mailedLink('erin@northcounty.example', /http:\/\/127\.0\.0\.1:3000\/portal\/harbour\/reports/);
  const erin = await erinOpens(browser, link);
  await erin.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Reports' }).click();
  await expect(erin.getByRole('heading', { name: 'Reports' })).toBeVisible();
  const row = erin.getByRole('table', { name: 'Reports' }).getByRole('row', { name: /Monthly Summary.*Alice Brown.*Sent by Sam Scheduler/ });
  await expect(row).toBeVisible();
  const pdf = await downloaded(erin, row.getByRole('link', { name: 'Download PDF' }));
  expect(pdf.name).toMatch(/^monthly-summary-.*\.pdf$/);
  expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const text = await pdfText(pdf.bytes);
  expect(text).toContain('Alice Brown');
  expect(text).toContain('Hours used against the authorisation');
  expect(text).toContain('Prepared for Erin External');
});

test('a case manager makes a service-notes report in the portal and downloads it as PDF and CSV, shareable notes only', async ({ browser }) => {
  const erin = await erinOpens(browser, '/portal/harbour');
  await erin.getByRole('table', { name: 'My clients' }).getByRole('link', { name: 'Alice Brown' }).click();
  await expect(erin.getByRole('heading', { name: 'Alice Brown' })).toBeVisible();
  await erin.getByRole('navigation', { name: 'Client record' }).getByRole('link', { name: 'Reports' }).click();
  await hydrated(erin);
  const make = erin.getByRole('form', { name: 'Make a report' });
  // Only the kinds the agency shares are offered.
  await expect(make.getByLabel('Report type').getByRole('option')).toHaveText(['Monthly Summary', 'Service Notes', 'Progress Report', 'Schedule Report']);
  await make.getByLabel('Report type').selectOption({ label: 'Service Notes' });
  await make.getByLabel('From').fill(day(-60));
  await make.getByLabel('To').fill(day(0));
  await make.getByRole('button', { name: 'Make report' }).click();
  await expect(erin.getByRole('status').filter({ hasText: 'is ready' })).toBeVisible();
  const ready = erin.getByRole('status').filter({ hasText: 'is ready' });
  const pdf = await downloaded(erin, ready.getByRole('link', { name: 'Download PDF' }));
  expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(await pdfText(pdf.bytes)).toContain('Alice Brown');
  const csv = await downloaded(erin, ready.getByRole('link', { name: 'Download CSV' }));
  const body = csv.bytes.toString('utf8');
  expect(body).toContain('Service notes');
  expect(body).toContain('visit completed');
  expect(body).not.toContain('Internal:');
});

test('an admin sets up an automated report for a client', async ({ page }) => {
  await signIn(page, 'admin@harbour.example');
  await expect(page.getByLabel('Signed-in user')).toContainText('Harper Admin');
  await page.goto('/settings');
  await hydrated(page);
  await addWeeklyReport(page, 'Carlos Diaz', 'Schedule Report', 'Friday', 'Erin External');
  const table = page.getByRole('table', { name: 'Automated reports' });
  await table.getByRole('button', { name: 'Stop the Schedule Report of Carlos Diaz' }).click();
  await expect(page.getByText('No automated reports yet.')).toBeVisible();
});
