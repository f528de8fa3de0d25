import { test, expect } from './fixtures';
import { hydrated, signIn } from './helper';

test('a user ends their session on another device from the account page', async ({ browser }) => {
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  await signIn(phonePage, 'fischer@hillside.example');
  await expect(phonePage.getByRole('heading', { name: 'My cases' })).toBeVisible();

  const laptop = await browser.newContext();
  const page = await laptop.newPage();
  await signIn(page, 'fischer@hillside.example');
  await expect(page.getByRole('heading', { name: 'My cases' })).toBeVisible();
  await page.getByRole('link', { name: 'Account' }).click();
  await hydrated(page);
  await expect(page.getByRole('table', { name: 'Sessions' }).getByRole('row')).toHaveCount(3);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(page.getByRole('table', { name: 'Sessions' }).getByRole('row')).toHaveCount(2);

  await phonePage.goto('/');
  await expect(phonePage).toHaveURL(/\/login$/);
  await phone.close();
  await laptop.close();
});
