import { test, expect, type Page } from './fixtures';
import { hydrated, referNewPatient, signIn } from './helper';

function queue(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Work queues' }).getByRole('link', { name: new RegExp(`^${name} \\d+$`) });
}

test('a practice admin sets its response deadlines and holidays', async ({ page }) => {
  await signIn(page, 'admin@hillside.example');
  await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
  await hydrated(page);
  const form = page.getByRole('form', { name: 'Response deadlines' });
  await expect(form.getByLabel('Routine referrals (business days)')).toHaveValue('2');

  // Urgent longer than routine is refused, and the form keeps what was typed.
  await form.getByLabel('Routine referrals (business days)').fill('3');
  await form.getByLabel('Urgent referrals (business days)').fill('5');
  await form.getByRole('button', { name: 'Save deadlines' }).click();
  await expect(page.getByRole('alert')).toContainText('An urgent referral cannot have longer than a routine one.');
  await expect(form.getByLabel('Urgent referrals (business days)')).toHaveValue('5');

  await form.getByLabel('Urgent referrals (business days)').fill('1');
  await form.getByRole('button', { name: 'Save deadlines' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Deadlines saved.' })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('form', { name: 'Response deadlines' }).getByLabel('Routine referrals (business days)')).toHaveValue('3');

  // A holiday is listed, and can be taken back.
  const holiday = page.getByRole('form', { name: 'Add a holiday' });
  await holiday.getByLabel('Holiday date').fill('2027-01-04');
  await holiday.getByLabel('Holiday name').fill('Staff training');
  await holiday.getByRole('button', { name: 'Add holiday' }).click();
  const listed = page.getByRole('list', { name: 'Holidays' });
  await expect(listed.getByRole('listitem')).toHaveText([/4 Jan 2027 · Staff training/]);
  await listed.getByRole('button', { name: 'Remove Staff training, 4 Jan 2027' }).click();
  await expect(page.getByText('No holidays listed.')).toBeVisible();
});

test('a referral shows its deadline, and an overdue one is in both sides\' Overdue queue', async ({ page, browser }) => {
  // A new referral is due, not overdue, and says by when.
  await signIn(page, 'ortiz@riverside.example');
  await expect(page.getByRole('heading', { name: 'My cases', level: 1 })).toBeVisible();
  await referNewPatient(page, 'Vera Holm', 'Echocardiogram', 'Ana Ortiz', 'Li Chen');
  // On Dr. Ortiz's clock (New York): the end of the day in London.
  await expect(page.getByTestId('case-due')).toHaveText(/^Respond by \d{1,2} \w{3} \d{4}, (18|19):59 E[SD]T$/);

  // Casey, Riverside's case manager: the demo's referrals to Riverside
  // that waited past their deadline (Noah Schmidt's among them).
  const casey = await (await browser.newContext()).newPage();
  await signIn(casey, 'casey@riverside.example');
  await expect(casey.getByRole('heading', { name: 'Practice cases', level: 1 })).toBeVisible();
  await hydrated(casey);
  await queue(casey, 'Overdue').click();
  await expect(casey).toHaveURL(/\?queue=overdue$/);
  const rows = casey.getByRole('table', { name: 'Cases' }).getByRole('row').filter({ has: casey.getByRole('link') });
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) {
    await expect(row).toContainText(/Overdue by \d+ days?/);
  }
  await expect(rows.filter({ hasText: 'Noah Schmidt' })).toHaveCount(1);
  // (Casey does not open it: the receiving side's first look marks it
  // Received, and the referrals spec expects it still Requested.)

  // Dr. Fischer at Hillside referred it: he sees it overdue too, in his
  // Overdue queue and on the case.
  const fischer = await (await browser.newContext()).newPage();
  await signIn(fischer, 'fischer@hillside.example');
  await expect(fischer.getByRole('heading', { name: 'My cases', level: 1 })).toBeVisible();
  await hydrated(fischer);
  await queue(fischer, 'Overdue').click();
  const row = fischer.getByRole('table', { name: 'Cases' }).getByRole('row', { name: /Noah Schmidt/ });
  await expect(row).toContainText(/Overdue by \d+ days?/);
  await row.getByRole('link', { name: 'Noah Schmidt' }).click();
  await expect(fischer.getByRole('heading', { name: 'Noah Schmidt' })).toBeVisible();
  await expect(fischer.getByTestId('case-due')).toHaveText(/^Overdue by \d+ days?$/);
  await expect(fischer.getByTestId('case-status')).toHaveText('Requested');
});
