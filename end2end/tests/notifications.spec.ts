import { test, expect, type Page } from './fixtures';
import { hydrated, mailed, referNewPatient, signIn } from './helper';

function bell(page: Page) {
  return page.getByRole('button', { name: /^Notifications/ });
}

test('a case manager rejects a referral and the referring doctor hears of it at once, in the app and by mail', async ({ page, browser }) => {
  // Dr. Ortiz refers a new patient to Dr. Chen.
  await signIn(page, 'ortiz@riverside.example');
  await expect(page.getByRole('heading', { name: 'My cases', level: 1 })).toBeVisible();
  const caseId = await referNewPatient(page, 'Nora Lindqvist', 'Exercise ECG', 'Ana Ortiz', 'Li Chen');
  await hydrated(page);
  // What the demo already told Dr. Ortiz (Aisha Khan's case was accepted):
  // mark it read, so what follows is news.
  await expect(bell(page)).toHaveText('Notifications, 1 unread');
  await bell(page).click();
  const panel = page.getByRole('region', { name: 'Notifications' });
  const unread = panel.getByRole('listitem').filter({ hasText: 'Unread:' });
  await expect(unread).toHaveCount(1);
  await expect(unread).toContainText(/Unread: Dr\. Li Chen accepted case #\d+\./);
  await panel.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(bell(page)).toHaveText('Notifications');
  await expect(unread).toHaveCount(0);
  await bell(page).click();
  await expect(panel).toBeHidden();

  // Morgan, Hillside's case manager, rejects it for Dr. Chen in another browser.
  const morgan = await (await browser.newContext()).newPage();
  await signIn(morgan, 'morgan@hillside.example');
  await expect(morgan.getByRole('heading', { name: 'Practice cases', level: 1 })).toBeVisible();
  await morgan.goto(`/cases/${caseId}`);
  await expect(morgan.getByRole('heading', { name: 'Nora Lindqvist' })).toBeVisible();
  await hydrated(morgan);
  await morgan.getByLabel('Reason', { exact: true }).selectOption({ label: 'No capacity' });
  await morgan.getByRole('button', { name: 'Reject case' }).click();
  await expect(morgan.getByTestId('case-status')).toHaveText('Rejected');
  // The actor is not told of their own act.
  await expect(bell(morgan)).toHaveText('Notifications');

  // Dr. Ortiz's open page shows it without a reload.
  await expect(bell(page)).toHaveText('Notifications, 1 unread', { timeout: 15_000 });
  await expect(page.getByRole('status').filter({ hasText: '1 unread notification' })).toBeAttached();
  await bell(page).click();
  await expect(bell(page)).toHaveAttribute('aria-expanded', 'true');
  const line = `Morgan Hill (for Dr. Li Chen) rejected case #${caseId}: No capacity.`;
  await expect(panel.getByRole('listitem').first()).toContainText(`Unread: ${line}`);
  await panel.getByRole('link', { name: line }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
  await expect(page.getByTestId('case-status')).toHaveText('Rejected');
  await expect(panel).toBeHidden();
  await expect(bell(page)).toHaveText('Notifications');
  await bell(page).click();
  await expect(panel.getByRole('listitem').first()).toContainText(line);
  await expect(unread).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Mark all as read' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(bell(page)).toBeFocused();

  // And the mail, through the real SMTP sink: a link, no patient.
  const mail = await mailed('ortiz@riverside.example', new RegExp(`https?://\\S+/cases/${caseId}\\b`));
  expect(mail.match).toMatch(new RegExp(`/cases/${caseId}$`));
  expect(mail.text).toContain('Morgan Hill (for Dr. Li Chen) rejected');
  for (const secret of ['Nora', 'Lindqvist', 'Exercise ECG', 'No capacity']) {
    expect(mail.text).not.toContain(secret);
  }
});

test('a doctor chooses which notifications also come by e-mail, and a rejection cannot be muted', async ({ page }) => {
  await signIn(page, 'okafor@riverside.example');
  await expect(page.getByRole('heading', { name: 'My cases', level: 1 })).toBeVisible();
  await page.goto('/account');
  await hydrated(page);
  const form = page.getByRole('form', { name: 'Notification settings' });
  await expect(form.getByLabel('A case is accepted')).toHaveValue('immediate');
  await form.getByLabel('A case is accepted').selectOption({ label: 'In the app only' });
  await form.getByRole('button', { name: 'Save notification settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Notification settings saved.' })).toBeVisible();
  // A rejection has no choice to make: it always comes by e-mail.
  await expect(form.getByLabel('A case is rejected')).toHaveCount(0);
  await expect(form).toContainText('A case is rejectedAlways by e-mail');
  await expect(form.getByLabel('A case is referred to me')).toHaveAccessibleDescription(
    'Urgent and emergency referrals always come by e-mail.',
  );

  await page.reload();
  await hydrated(page);
  await expect(form.getByLabel('A case is accepted')).toHaveValue('in_app');
  await expect(form.getByLabel('A case is completed')).toHaveValue('immediate');
});
