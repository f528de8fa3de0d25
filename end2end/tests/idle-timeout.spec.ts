import { expect, test, type Page } from './fixtures';
import { hydrated, signIn } from './helper';

async function setIdleTimeout(page: Page, minutes: number) {
  await signIn(page, 'admin@harbour.example');
  await expect(page.getByLabel('Signed-in user')).toContainText('Harper Admin');
  await page.goto('/settings');
  await hydrated(page);
  await page.getByLabel('Session timeout (minutes of inactivity)').fill(String(minutes));
  await page.getByRole('button', { name: 'Save security settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
}

test('an idle session counts down, can be kept alive, and then signs out saying why', async ({ page, browser }) => {
  // A one-minute timeout: the countdown starts after 30 seconds.
  test.setTimeout(260_000);
  await setIdleTimeout(page, 1);
  try {
    const sam = await (await browser.newContext()).newPage();
    await signIn(sam, 'sam@harbour.example');
    await expect(sam.getByLabel('Signed-in user')).toContainText('Sam Scheduler');
    await hydrated(sam);
    const dialog = sam.getByRole('alertdialog', { name: 'Stay signed in?' });
    await expect(dialog).toBeVisible({ timeout: 45_000 });
    await expect(dialog).toContainText(/signed out in \d+ seconds?/);
    // Focus moves into the dialog and stays there; Escape answers "stay".
    const stay = dialog.getByRole('button', { name: 'Stay signed in' });
    await expect(stay).toBeFocused();
    await sam.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Sign out now' })).toBeFocused();
    await sam.keyboard.press('Tab');
    await expect(stay).toBeFocused();
    await sam.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(sam.getByLabel('Signed-in user')).toContainText('Sam Scheduler');
    // Left alone this time, the page signs out and says why.
    await expect(dialog).toBeVisible({ timeout: 45_000 });
    await expect(sam).toHaveURL(/\/login\?reason=idle$/, { timeout: 45_000 });
    await expect(sam.getByRole('status')).toContainText('inactive for too long');
    // The server agrees: the session is gone.
    await sam.goto('/clients');
    await expect(sam.getByLabel('Signed-in user')).toHaveCount(0);
    // Signed in again, "Sign out now" ends the session at once.
    await signIn(sam, 'sam@harbour.example');
    await expect(sam.getByLabel('Signed-in user')).toContainText('Sam Scheduler');
    await hydrated(sam);
    await expect(dialog).toBeVisible({ timeout: 45_000 });
    await dialog.getByRole('button', { name: 'Sign out now' }).click();
    await expect(sam).toHaveURL(/\/login$/);
    await sam.goto('/clients');
    await expect(sam.getByLabel('Signed-in user')).toHaveCount(0);
  } finally {
    // The admin's own session timed out meanwhile; put the agency back.
    await setIdleTimeout(page, 30);
  }
});
