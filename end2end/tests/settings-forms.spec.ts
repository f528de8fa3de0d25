import { expect, test } from './fixtures';
import { hydrated, signIn } from './helper';

test('a refused security setting is named by its field and keeps what was typed; the other forms stay quiet', async ({ page }) => {
  await signIn(page, 'admin@harbour.example');
  await expect(page.getByTestId('who-am-i')).toContainText('Harper Admin');
  await page.goto('/settings');
  await hydrated(page);
  const security = page.getByRole('form', { name: 'Security' });
  const idle = security.getByLabel('Session timeout (minutes of inactivity)');
  const minLength = security.getByLabel('Minimum password length');
  const before = { idle: await idle.inputValue(), minLength: await minLength.inputValue() };

  // An emptied number passes the browser's own checks; the server refuses it.
  await idle.fill('');
  await minLength.fill('14');
  await security.getByRole('button', { name: 'Save security settings' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toContainText('Enter a number from 1 to 480.');
  await expect(idle).toHaveAttribute('aria-invalid', 'true');
  await expect(idle).toHaveAccessibleDescription('Enter a number from 1 to 480.');
  await expect(minLength).toHaveValue('14');
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toHaveCount(0);
  // The failure is the Security form's alone.
  await expect(page.getByRole('alert')).toHaveCount(1);
  await expect(page.getByRole('form', { name: 'Appearance' }).getByLabel('Primary colour')).toHaveAttribute('aria-invalid', 'false');

  await summary.getByRole('link', { name: 'Enter a number from 1 to 480.' }).click();
  await expect(idle).toBeFocused();

  // Nothing was changed by the refusal: a reload shows the stored values.
  await page.reload();
  await hydrated(page);
  await expect(idle).toHaveValue(before.idle);
  await expect(minLength).toHaveValue(before.minLength);

  // A valid save goes through, says so, and clears the field's error.
  await security.getByRole('button', { name: 'Save security settings' }).click();
  await expect(security.getByRole('status')).toHaveText('Settings saved.');
  await expect(idle).toHaveAttribute('aria-invalid', 'false');
});
