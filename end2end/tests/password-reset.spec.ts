import { expect, test } from './fixtures';
import { hydrated, mailedLink, signIn } from './helper';

test('a user who forgot their password resets it from the mailed link and signs in', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('E-mail').fill('admin@hillside.example');
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('status')).toContainText('If that address has an account');

  const link = await mailedLink('admin@hillside.example', /https?:\/\/\S+\/password-reset\?token=[0-9a-f]{64}/);
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await hydrated(page);
  // Two different passwords: a summary at the top names the problem and takes the user to the field.
  await page.getByLabel('New password', { exact: true }).fill('harbour lights forty two');
  await page.getByLabel('Repeat the new password').fill('harbour lights forty three');
  await page.getByRole('button', { name: 'Change password' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toContainText('The two passwords differ.');
  await expect(page.getByLabel('Repeat the new password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Repeat the new password')).toHaveAccessibleDescription('The two passwords differ.');
  await summary.getByRole('link', { name: 'The two passwords differ.' }).click();
  await expect(page.getByLabel('Repeat the new password')).toBeFocused();

  await page.getByLabel('New password', { exact: true }).fill('harbour lights forty two');
  await page.getByLabel('Repeat the new password').fill('harbour lights forty two');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');

  await signIn(page, 'admin@hillside.example', 'harbour lights forty two');
  await expect(page.getByLabel('Signed-in user')).toContainText('Hana Admin');
  // The link works once.
  await page.goto(link);
  await expect(page.getByRole('alert')).toContainText('not valid');
});
