import { expect, test } from './fixtures';
import { chicagoDay, downloaded, erinOpens, hydrated, pdfText, signIn } from './helper';

test.describe.configure({ mode: 'serial' });

test('a 09:00 visit entered in Harbour reads 09:00 Chicago time on the staff page, in the portal and in its reports', async ({ page, browser }) => {
  const tomorrow = chicagoDay(1);
  await signIn(page, 'sam@harbour.example');
  await expect(page.getByLabel('Signed-in user')).toContainText('Sam Scheduler');
  await page.goto('/clients');
  await page.getByRole('link', { name: 'Alice Brown' }).click();
  await hydrated(page);
  await expect(page.getByText('Times are in America/Chicago')).toBeVisible();
  const add = page.getByRole('form', { name: 'Add an appointment' });
  await add.getByLabel('Date').fill(tomorrow);
  await add.getByLabel('Start').fill('09:00');
  await add.getByLabel('End').fill('10:00');
  await add.getByLabel('Service').fill('Zone check visit');
  await add.getByRole('button', { name: 'Add appointment' }).click();
  const staffRow = page.getByRole('table', { name: 'Appointments' }).getByRole('row', { name: /Zone check visit/ });
  await expect(staffRow).toContainText(/09:00 C[SD]T/);
  await expect(staffRow).toContainText(/10:00 C[SD]T/);

  // Erin, in her own browser, reads the same visit in the portal.
  const erin = await erinOpens(browser);
  await erin.getByRole('table', { name: 'My clients' }).getByRole('link', { name: 'Alice Brown' }).click();
  await expect(erin.getByRole('heading', { name: 'Alice Brown', level: 1 })).toBeVisible();
  await expect(erin.getByText('Times are in America/Chicago')).toBeVisible();
  const portalRow = erin.getByRole('table', { name: 'Appointments' }).getByRole('row', { name: /Zone check visit/ });
  await expect(portalRow).toContainText(/09:00 C[SD]T/);

  // Her Schedule Report of the days ahead says 09:00 too, in PDF and CSV.
  await hydrated(erin);
  await erin.getByRole('navigation', { name: 'Client record' }).getByRole('link', { name: 'Reports' }).click();
  await hydrated(erin);
  const make = erin.getByRole('form', { name: 'Make a report' });
  await make.getByLabel('Report type').selectOption({ label: 'Schedule Report' });
  await make.getByLabel('From').fill(chicagoDay(0));
  await make.getByLabel('To').fill(chicagoDay(7));
  await make.getByRole('button', { name: 'Make report' }).click();
  const ready = erin.getByRole('status').filter({ hasText: 'is ready' });
  await expect(ready).toBeVisible();
  const csv = (await downloaded(erin, ready.getByRole('link', { name: 'Download CSV' }))).bytes.toString('utf8');
  const line = csv.split('\r\n').find((l) => l.includes('Zone check visit'));
  expect(line).toMatch(new RegExp(`^${tomorrow},09:00 C[SD]T,10:00 C[SD]T,Zone check visit`));
  expect(csv).toContain('Times are in America/Chicago');
  const pdf = await pdfText((await downloaded(erin, ready.getByRole('link', { name: 'Download PDF' }))).bytes);
  expect(pdf).toMatch(new RegExp(`${tomorrow}\\s+09:00 C[SD]T\\s+10:00 C[SD]T\\s+Zone check visit`));
  await erin.context().close();
});

test('a practice admin chooses the practice\'s time zone from the list', async ({ page }) => {
  await signIn(page, 'admin@riverside.example');
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await hydrated(page);
  const form = page.getByRole('form', { name: 'Time zone' });
  await expect(form.getByLabel('Time zone')).toHaveValue('America/New_York');
  await form.getByLabel('Time zone').selectOption('America/Denver');
  await form.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toContainText('America/Denver');
  await page.reload();
  await hydrated(page);
  await expect(form.getByLabel('Time zone')).toHaveValue('America/Denver');
  // Back as it was, for whoever comes next.
  await form.getByLabel('Time zone').selectOption('America/New_York');
  await form.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toContainText('America/New_York');
});
