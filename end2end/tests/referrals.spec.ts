import { test, expect, type Page } from './fixtures';
import { hydrated, signIn, signOut } from './helper';

async function home(page: Page, heading: string) {
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  await hydrated(page);
}

function casesTable(page: Page) {
  return page.getByRole('table', { name: 'Cases' });
}

test.describe.configure({ mode: 'serial' });

test('an admin grants the Case Manager role and the new case manager works the practice cases', async ({ page }) => {
  // Pat is plain staff: only the one case she is associated with.
  await signIn(page, 'pat@riverside.example');
  await home(page, 'Cases I am associated with');
  await expect(casesTable(page).getByRole('link', { name: 'Tom Becker' })).toHaveCount(0);
  await signOut(page);

  await signIn(page, 'admin@riverside.example');
  await home(page, 'Administration');
  await page.getByRole('button', { name: 'Grant Case Manager role to Pat Plain' }).click();
  await expect(page.getByRole('button', { name: 'Remove Case Manager role from Pat Plain' })).toBeVisible();
  await signOut(page);

  await signIn(page, 'pat@riverside.example');
  await home(page, 'Practice cases');
  await expect(casesTable(page).getByRole('link', { name: 'Tom Becker' })).toBeVisible();

  // Narrow to one doctor: the URL follows, and a reload keeps it.
  await page.getByLabel('Doctor').selectOption({ label: 'Dr. Ben Okafor' });
  await expect(page).toHaveURL(/doctor=\d+/);
  await expect(casesTable(page).getByRole('link', { name: 'Maria Gonzalez' })).toHaveCount(0);
  await expect(casesTable(page).getByRole('link', { name: 'Tom Becker' })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel('Doctor')).toHaveValue(/\d+/);
  await expect(casesTable(page).getByRole('link', { name: 'Maria Gonzalez' })).toHaveCount(0);

  // Typing filters as you type.
  await page.getByLabel('Doctor').selectOption({ label: 'All doctors' });
  await page.getByLabel('Search patient or reason').pressSequentially('knee');
  await expect(page).toHaveURL(/q=knee/);
  await expect(casesTable(page).getByRole('link')).toHaveCount(1);
  await expect(casesTable(page).getByRole('link', { name: 'Tom Becker' })).toBeVisible();
  // Open the case, come back: the filter is still there.
  await casesTable(page).getByRole('link', { name: 'Tom Becker' }).click();
  await expect(page.getByRole('heading', { name: 'Tom Becker' })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/q=knee/);
  await expect(page.getByLabel('Search patient or reason')).toHaveValue('knee');
  await expect(casesTable(page).getByRole('link')).toHaveCount(1);
});

test('the case manager accepts, rejects, refers and edits, and the history names them and the doctor', async ({ page }) => {
  await signIn(page, 'casey@riverside.example');
  await home(page, 'Practice cases');

  // Accept Jonas Weber's case (referred to Dr. Okafor of Riverside).
  await casesTable(page).getByRole('link', { name: 'Jonas Weber' }).click();
  await expect(page.getByRole('heading', { name: 'Jonas Weber' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('group', { name: 'Case actions' }).getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('Accepted');
  await expect(page.getByRole('list', { name: 'History' })).toContainText(
    'Accepted by Casey Staff (case manager) for Dr. Ben Okafor',
  );

  // Edit it. An empty reason is refused: the summary says so, and what was typed elsewhere stays.
  const edit = page.getByRole('form', { name: 'Edit case' });
  await edit.getByLabel('Patient contact').fill('+1 555 0000');
  const reason = await edit.getByLabel('Reason for referral').inputValue();
  await edit.getByLabel('Reason for referral').fill('');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toContainText('Say why the patient is referred.');
  await expect(edit.getByLabel('Reason for referral')).toHaveAttribute('aria-invalid', 'true');
  await expect(edit.getByLabel('Patient contact')).toHaveValue('+1 555 0000');
  await edit.getByLabel('Reason for referral').fill(reason);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(summary).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'History' })).toContainText('Modified (patient_contact) by Casey Staff');

  // Refer Omar Haddad's case (on hold with Dr. Ortiz) on to Dr. Fischer.
  await page.goto('/');
  await home(page, 'Practice cases');
  await casesTable(page).getByRole('link', { name: 'Omar Haddad' }).click();
  await expect(page.getByRole('heading', { name: 'Omar Haddad' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Refer to doctor').selectOption({ label: 'Dr. Dana Fischer (Orthopaedics, Hillside Specialists)' });
  await page.getByLabel('Note for the new doctor').fill('Please assess');
  await page.getByRole('button', { name: 'Refer', exact: true }).click();
  await expect(page.getByRole('link', { name: /Case #\d+/ })).toBeVisible();
  await expect(page.getByRole('list', { name: 'History' })).toContainText('Referred on from case');

  // Reject Emma Wilson's case (Dr. Chen → Dr. Ortiz) on its page, with a reason.
  await page.goto('/');
  await home(page, 'Practice cases');
  await casesTable(page).getByRole('link', { name: 'Emma Wilson' }).click();
  await expect(page.getByRole('heading', { name: 'Emma Wilson' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Reason', { exact: true }).selectOption({ label: 'No capacity' });
  await page.getByLabel('Note for the referring doctor').fill('Full until March');
  await page.getByRole('button', { name: 'Reject case' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('Rejected');
  // The note stays on the case; the history (whose rows the admins' log
  // also holds) names the reason only.
  await expect(page.getByRole('list', { name: 'History' })).toContainText(
    'Rejected (No capacity) by Casey Staff (case manager) for Dr. Ana Ortiz',
  );
  await expect(page.getByRole('main')).toContainText('No capacity: Full until March');

  // Reject Noah Schmidt's case from the list, in bulk, with one reason.
  await page.goto('/');
  await home(page, 'Practice cases');
  await page.getByRole('checkbox', { name: 'Select Noah Schmidt' }).check();
  await page.getByLabel('Rejection reason').selectOption({ label: 'Outside my specialty' });
  await page.getByRole('button', { name: 'Reject selected' }).click();
  // A bulk reject asks first; Cancel changes nothing.
  const confirm = page.getByRole('dialog', { name: 'Reject 1 case?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(casesTable(page).getByRole('row', { name: /Noah Schmidt/ })).toContainText('Requested');
  await page.getByRole('button', { name: 'Reject selected' }).click();
  await confirm.getByRole('button', { name: 'Reject 1 case' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rejected' })).toBeVisible();
  await expect(casesTable(page).getByRole('row', { name: /Noah Schmidt/ })).toContainText('Rejected');
});

test('a doctor sees the same history, and another practice\'s case is a 404', async ({ page }) => {
  await signIn(page, 'okafor@riverside.example');
  await home(page, 'My cases');
  await casesTable(page).getByRole('link', { name: 'Jonas Weber' }).click();
  await expect(page.getByRole('list', { name: 'History' })).toContainText(
    'Accepted by Casey Staff (case manager) for Dr. Ben Okafor',
  );
  await signOut(page);

  // Maria Gonzalez (Riverside → Hillside) is not Dr. Fischer's.
  await signIn(page, 'casey@riverside.example');
  await home(page, 'Practice cases');
  await casesTable(page).getByRole('link', { name: 'Maria Gonzalez' }).click();
  // The address changes once the case page is there, not at the click.
  await expect(page.getByRole('heading', { name: 'Maria Gonzalez' })).toBeVisible();
  const url = page.url();
  await signOut(page);
  await signIn(page, 'fischer@hillside.example');
  await home(page, 'My cases');
  const response = await page.goto(url);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('main')).not.toContainText('Maria Gonzalez');
});

test('a new referral becomes Received when the receiving doctor opens it, and only then', async ({ page }) => {
  // Omar Haddad's case was referred on to Dr. Fischer above; nobody has
  // opened it on his side yet. Listing it changes nothing.
  await signIn(page, 'fischer@hillside.example');
  await home(page, 'My cases');
  await expect(casesTable(page).getByRole('row', { name: /Omar Haddad/ })).toContainText('Requested');
  await page.reload();
  await hydrated(page);
  await expect(casesTable(page).getByRole('row', { name: /Omar Haddad/ })).toContainText('Requested');
  await casesTable(page).getByRole('link', { name: 'Omar Haddad' }).click();
  await expect(page.getByRole('heading', { name: 'Omar Haddad' })).toBeVisible();
  await hydrated(page);
  // The page records receipt with a POST once it has loaded.
  await expect(page.getByTestId('case-status')).toHaveText('Received');
  await expect(page.getByRole('list', { name: 'History' })).toContainText('Received by Dr. Dana Fischer');
  // Receipt keeps the version: acting on the case as it was shown works.
  await page.getByRole('group', { name: 'Case actions' }).getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('Accepted');
});

test('a new referral with a mistake gets an error summary that leads to the field, then goes through', async ({ page }) => {
  await signIn(page, 'okafor@riverside.example');
  await home(page, 'My cases');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New referral' }).click();
  await expect(page.getByRole('heading', { name: 'New referral' })).toBeVisible();
  await expect(page).toHaveTitle('New referral · Caseport');
  await hydrated(page);
  const form = page.getByRole('form', { name: 'New referral' });
  await form.getByLabel('Patient name').fill('Zofia Łukasiewicz');
  await form.getByLabel('Date of birth').fill('2999-01-01');
  await form.getByLabel('Reason for referral').fill('Second opinion on an ECG');
  const by = form.getByLabel('Referring doctor');
  await by.selectOption((await by.locator('option', { hasText: 'Ben Okafor' }).getAttribute('value'))!);
  const to = form.getByLabel('Refer to', { exact: true });
  await to.selectOption((await to.locator('option', { hasText: 'Li Chen' }).getAttribute('value'))!);
  await form.getByRole('button', { name: 'Send referral' }).click();

  // The summary takes focus and names the field; its link leads there.
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await expect(form.getByLabel('Date of birth')).toHaveAttribute('aria-invalid', 'true');
  await summary.getByRole('link', { name: 'Enter a past date as YYYY-MM-DD.' }).click();
  await expect(form.getByLabel('Date of birth')).toBeFocused();

  await form.getByLabel('Date of birth').fill('1961-04-12');
  await form.getByRole('button', { name: 'Send referral' }).click();
  await expect(page.getByRole('heading', { name: 'Zofia Łukasiewicz' })).toBeVisible();
  await expect(page).toHaveTitle('Zofia Łukasiewicz · Caseport');
  await expect(page.getByTestId('case-status')).toHaveText('Requested');
});

/** The status summary's links as status → count, read off the page. */
async function summary(page: Page): Promise<Map<string, number>> {
  const links = page.getByRole('navigation', { name: 'Cases by status' }).getByRole('link');
  await expect(links.first()).toBeVisible();
  const counts = new Map<string, number>();
  for (const text of await links.allInnerTexts()) {
    const [count, label] = text.trim().split(/\s+(.*)/s);
    counts.set(label.trim(), Number(count));
  }
  return counts;
}

/** Following each status link lists exactly as many cases as it counted. */
async function summaryMatchesRows(page: Page) {
  const counts = await summary(page);
  let sum = 0;
  for (const [label, count] of counts) {
    if (label !== 'All statuses') sum += count;
    await page.getByRole('navigation', { name: 'Cases by status' }).getByRole('link', { name: label }).click();
    await expect(page.getByRole('navigation', { name: 'Cases by status' }).getByRole('link', { name: label }))
      .toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('case-count')).toHaveText(`${count} cases`);
    await expect(casesTable(page).locator('tbody tr')).toHaveCount(count);
  }
  expect(counts.get('All statuses')).toBe(sum);
  return counts;
}

test('the status summary counts what each status lists, and follows a change', async ({ page }) => {
  await signIn(page, 'casey@riverside.example');
  await home(page, 'Practice cases');
  await hydrated(page);
  const before = await summaryMatchesRows(page);

  // Zofia Łukasiewicz's referral (sent by Dr. Okafor above) is cancelled.
  await page.goto('/?status=requested');
  await casesTable(page).getByRole('link', { name: 'Zofia Łukasiewicz' }).click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Cancel referral' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('Cancelled');

  await page.goto('/');
  await hydrated(page);
  const after = await summaryMatchesRows(page);
  expect(after.get('Requested') ?? 0).toBe((before.get('Requested') ?? 0) - 1);
  expect(after.get('Cancelled') ?? 0).toBe((before.get('Cancelled') ?? 0) + 1);
  expect(after.get('All statuses')).toBe(before.get('All statuses'));
});
