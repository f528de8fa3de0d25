import { test, expect } from './fixtures';
import { hydrated, signIn } from './helper';

test('a case manager saves the filter in use as a named view, opens it later and deletes it', async ({ page }) => {
  await signIn(page, 'casey@riverside.example');
  await expect(page.getByRole('heading', { name: 'Practice cases', level: 1 })).toBeVisible();
  await hydrated(page);
  const queues = page.getByRole('navigation', { name: 'Work queues' });
  await queues.getByRole('link', { name: /^Overdue \d+$/ }).click();
  await expect(page).toHaveURL(/\?queue=overdue$/);
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Requested' });
  await expect(page).toHaveURL(/\?queue=overdue&status=requested$/);

  const form = page.getByRole('form', { name: 'Save this view' });
  await form.getByLabel('Save this view as').fill('New and overdue');
  await form.getByRole('button', { name: 'Save view' }).click();
  const mine = page.getByRole('navigation', { name: 'My views' });
  await expect(mine.getByRole('link', { name: 'New and overdue' })).toHaveAttribute('aria-current', 'true');
  await expect(form.getByLabel('Save this view as')).toHaveValue('');

  // The same name again is refused, with the reason by the field.
  await form.getByLabel('Save this view as').fill('New and overdue');
  await form.getByRole('button', { name: 'Save view' }).click();
  await expect(form.getByText('You already have a view named "New and overdue".')).toBeVisible();

  // Later, from the whole list, the view opens the same filter.
  await queues.getByRole('link', { name: 'All cases' }).click();
  await expect(mine.getByRole('link', { name: 'New and overdue' })).not.toHaveAttribute('aria-current', 'true');
  await mine.getByRole('link', { name: 'New and overdue' }).click();
  await expect(page).toHaveURL(/\?queue=overdue&status=requested$/);
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('requested');

  await mine.getByRole('button', { name: 'Delete view New and overdue' }).click();
  await expect(mine).toHaveCount(0);
});
