import { expect, test, type Browser, type Page } from './fixtures';
import { chicagoDay, downloaded, hydrated, mailedLink, signIn, DEMO_PASSWORD } from './helper';

/** Frank signs in on the agency's branded portal page, in a browser of his own. */
async function frankSignsIn(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/portal/harbour');
  await hydrated(page);
  const form = page.getByRole('form', { name: 'Sign in to the portal' });
  await form.getByLabel('E-mail').fill('frank@northcounty.example');
  await form.getByLabel('Password').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

test.describe.configure({ mode: 'serial' });

test('a case manager accepts the terms, filters their clients, and reads a client\'s record', async ({ page, browser }) => {
  // Staff share a care plan with Dorothy's case managers first.
  await signIn(page, 'sam@harbour.example');
  await expect(page.getByLabel('Signed-in user')).toContainText('Sam Scheduler');
  await page.goto('/clients');
  await page.getByRole('link', { name: 'Dorothy Evans' }).click();
  await hydrated(page);
  const upload = page.getByRole('form', { name: 'Upload a document' });
  await upload.getByLabel('File').setInputFiles({
    name: 'Dorothy care plan.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
  });
  await upload.getByLabel('Category').selectOption({ label: 'Care Plans (Always)' });
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Document uploaded' })).toHaveText('Document uploaded: Dorothy care plan.pdf.');
  await hydrated(page);
  // …and reschedule the next visit as respite care.
  await page.getByRole('button', { name: /Edit the appointment on/ }).first().click();
  const change = page.getByRole('form', { name: 'Change the appointment' });
  await change.getByLabel('Service').fill('Respite care');
  await change.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('form', { name: 'Add an appointment' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Appointments' })).toContainText('Respite care');

  const cm = await frankSignsIn(browser);
  await expect(cm.getByRole('heading', { name: 'Terms of use' })).toBeVisible();
  await expect(cm.getByRole('document', { name: 'Terms of use' })).toContainText('confidential');
  await cm.getByRole('button', { name: 'I accept the terms of use' }).click();
  await expect(cm.getByRole('heading', { name: 'My clients' })).toBeVisible();
  await hydrated(cm);

  const clients = cm.getByRole('table', { name: 'My clients' });
  await expect(clients.getByRole('row')).toHaveCount(3); // header, Alice, Dorothy
  await expect(clients.getByRole('row', { name: /Alice Brown.*Supervisor/ })).toBeVisible();
  // Typing filters the list (after a pause) and the URL keeps the filter.
  await cm.getByLabel('Client name').pressSequentially('doro');
  await expect(clients.getByRole('row')).toHaveCount(2);
  await expect(cm).toHaveURL(/name=doro/);
  await expect(clients.getByRole('row', { name: /Dorothy Evans.*Primary/ })).toBeVisible();
  await cm.getByLabel('Relationship').selectOption('supervisor');
  await expect(cm.getByText('No clients match these filters.')).toBeVisible();
  await cm.getByLabel('Relationship').selectOption('');
  await cm.getByRole('link', { name: 'Dorothy Evans' }).click();

  await expect(cm.getByRole('heading', { name: 'Dorothy Evans', level: 1 })).toBeVisible();
  await hydrated(cm);
  const tabs = cm.getByRole('navigation', { name: 'Client record' });
  await expect(tabs.getByRole('link')).toHaveText(['Schedules', 'Notes', 'Hours Summary', 'Assessments', 'Documents', 'Reports', 'Messages']);
  // Schedule: completed and upcoming visits, no staff names (Staff Info is off).
  const appointments = cm.getByRole('table', { name: 'Appointments' });
  await expect(appointments.getByRole('row', { name: /Completed/ }).first()).toBeVisible();
  await expect(appointments.getByRole('row', { name: /Scheduled/ }).first()).toBeVisible();
  await expect(appointments).not.toContainText('Sam Scheduler');
  await expect(appointments).toContainText('Respite care');
  await cm.getByLabel('Status').selectOption('scheduled');
  await expect(appointments.getByRole('row', { name: /Completed/ })).toHaveCount(0);

  await tabs.getByRole('link', { name: 'Notes' }).click();
  const notes = cm.getByRole('list', { name: 'Service notes' });
  await expect(notes.getByRole('listitem').first()).toContainText('visit completed');
  await expect(notes).not.toContainText('billing');

  await tabs.getByRole('link', { name: 'Hours Summary' }).click();
  await expect(cm.getByRole('img', { name: /Monthly hours/ })).toBeVisible();
  await expect(cm.getByRole('table', { name: 'Monthly hours' }).getByRole('row')).toHaveCount(7);

  await tabs.getByRole('link', { name: 'Documents' }).click();
  const download = cm.waitForEvent('download');
  await cm.getByRole('link', { name: 'Download Dorothy care plan.pdf' }).click();
  expect((await download).suggestedFilename()).toBe('Dorothy care plan.pdf');
  await cm.context().close();
});

test('an admin hides Notes and the tab is gone on reload; suspending ends the open session', async ({ page, browser }) => {
  const cm = await frankSignsIn(browser);
  await expect(cm.getByRole('heading', { name: 'My clients' })).toBeVisible();
  await cm.getByRole('link', { name: 'Dorothy Evans' }).click();
  const tabs = cm.getByRole('navigation', { name: 'Client record' });
  await expect(tabs.getByRole('link', { name: 'Notes' })).toBeVisible();

  await signIn(page, 'admin@harbour.example');
  await expect(page.getByLabel('Signed-in user')).toContainText('Harper Admin');
  await page.goto('/settings');
  await hydrated(page);
  const visibility = page.getByRole('form', { name: 'Visibility' });
  await visibility.getByLabel('Notes').uncheck();
  await visibility.getByRole('button', { name: 'Save visibility' }).click();
  await expect(page.getByRole('status')).toHaveText('Settings saved.');

  await cm.reload();
  await expect(cm.getByRole('heading', { name: 'Dorothy Evans', level: 1 })).toBeVisible();
  await expect(tabs.getByRole('link', { name: 'Schedules' })).toBeVisible();
  await expect(tabs.getByRole('link', { name: 'Notes' })).toHaveCount(0);
  await cm.goto(cm.url().replace(/\?.*$/, '') + '?tab=notes');
  await expect(cm.getByRole('heading', { name: 'Service notes' })).toHaveCount(0);

  // Put Notes back for whoever comes next.
  await visibility.getByLabel('Notes').check();
  await visibility.getByRole('button', { name: 'Save visibility' }).click();
  await expect(page.getByRole('status')).toHaveText('Settings saved.');

  await page.goto('/case-managers');
  await page.getByRole('link', { name: 'Frank Field' }).click();
  await hydrated(page);
  // The admin checks what Frank sees, and why.
  await page.getByRole('button', { name: 'Preview what they see' }).click();
  await expect(page.getByTestId('preview-sign-in')).toHaveText('Can sign in.');
  await expect(page.getByRole('table', { name: 'What they see' })
    .getByRole('row', { name: /Dorothy Evans.*Primary.*Yes.*1 shared/ })).toBeVisible();
  // Cannot log in? The admin e-mails a password-reset link.
  await page.getByRole('button', { name: 'Send Frank Field a password-reset link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Password-reset link sent.' })).toBeVisible();
  expect(await mailedLink('frank@northcounty.example', /https?:\/\/\S+\/password-reset\?token=[0-9a-f]{64}/)).toContain('/password-reset?token=');
  const access = page.getByRole('form', { name: 'Change portal access' });
  await access.getByLabel('New status').selectOption('suspended');
  await access.getByLabel('Reason (optional)').fill('On leave');
  await access.getByRole('button', { name: 'Change access' }).click();
  await expect(page.getByTestId('access-status')).toHaveText('Suspended');

  await cm.reload();
  await expect(cm.getByRole('form', { name: 'Sign in to the portal' })).toBeVisible();
  await expect(cm.getByText('Dorothy Evans')).toHaveCount(0);

  await access.getByLabel('New status').selectOption('active');
  await access.getByRole('button', { name: 'Change access' }).click();
  await expect(page.getByTestId('access-status')).toHaveText('Active');

  // The activity log shows what Frank looked at.
  await page.getByRole('link', { name: 'Activity log' }).click();
  await hydrated(page);
  // The filters apply as they change, and land in the URL.
  await page.getByLabel('Action').selectOption({ label: 'Page viewed' });
  await expect(page).toHaveURL(/action=PageViewed/);
  await page.getByLabel('Person, client or e-mail').fill('Frank');
  await expect(page).toHaveURL(/q=Frank/);
  await page.getByLabel('From', { exact: true }).fill(chicagoDay());
  await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}/);
  await expect(page.getByRole('table', { name: 'Activity' })
    .getByRole('row', { name: /Frank Field.*Page viewed.*Dorothy Evans/ }).first()).toBeVisible();
  const csv = await downloaded(page, page.getByRole('link', { name: 'Export these entries as CSV' }));
  expect(csv.name).toBe('activity.csv');
  expect(csv.bytes.toString('utf8')).toMatch(/Frank Field,Page viewed/);
  await cm.context().close();
});
