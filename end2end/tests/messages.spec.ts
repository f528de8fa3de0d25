import { expect, test } from './fixtures';
import { erinOpens, hydrated, signIn } from './helper';

test('a case manager and the agency exchange messages without reloading', async ({ page, browser }) => {
  // Erin writes from the portal, in a browser of her own.
  const erin = await erinOpens(browser);
  // Move around inside the app (not by full page loads: see the note on
  // direct loads in the README).
  await erin.getByRole('table', { name: 'My clients' }).getByRole('link', { name: 'Carlos Diaz' }).click();
  await expect(erin.getByRole('heading', { name: 'Carlos Diaz' })).toBeVisible();
  await erin.getByRole('navigation', { name: 'Client record' }).getByRole('link', { name: 'Messages' }).click();
  await hydrated(erin);
  const question = 'Is <b>Thursday</b> still on?';
  await erin.getByLabel('Message to the agency').fill(question);
  await erin.getByRole('button', { name: 'Send message' }).click();
  const conversation = erin.getByRole('list', { name: 'Conversation' });
  // Shown as typed: the markup is text, not HTML.
  await expect(conversation.getByRole('listitem')).toHaveCount(1);
  await expect(conversation).toContainText(question);
  await expect(erin.getByLabel('Message to the agency')).toHaveValue('');

  // The admin sees it in the inbox, unread, and answers.
  await signIn(page, 'admin@harbour.example');
  await expect(page.getByRole('link', { name: 'Messages (1 unread)' })).toBeVisible();
  await page.getByRole('link', { name: 'Messages (1 unread)' }).click();
  await expect(page.getByRole('heading', { name: 'Case Manager Messages' })).toBeVisible();
  await hydrated(page);
  const threads = page.getByRole('table', { name: 'Conversations' });
  await expect(threads.getByRole('row', { name: /Carlos Diaz.*Erin External.*Thursday.*1/ })).toBeVisible();
  await page.getByRole('button', { name: 'Open the conversation with Erin External about Carlos Diaz' }).click();
  await expect(page.getByRole('list', { name: 'Conversation' })).toContainText(question);
  await page.getByLabel('Reply').fill('Yes, Thursday at 10 as planned.');
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.getByRole('list', { name: 'Conversation' }).getByRole('listitem')).toHaveCount(2);

  // Erin's open page picks the answer up by itself.
  await expect(conversation.getByRole('listitem')).toHaveCount(2, { timeout: 15_000 });
  await expect(conversation).toContainText('Yes, Thursday at 10 as planned.');
  await expect(conversation).toContainText('Harper Admin');
  // Her notification centre tells her too, and leads to the thread.
  const bell = erin.getByRole('button', { name: /^Notifications/ });
  await expect(bell).toHaveText(/^Notifications, \d+ unread$/, { timeout: 15_000 });
  await bell.click();
  await erin.getByRole('region', { name: 'Notifications' }).getByRole('link', { name: 'Harper Admin answered you about Carlos Diaz.' }).click();
  await expect(erin).toHaveURL(/\/portal\/harbour\/clients\/\d+\?tab=messages$/);
  await expect(erin.getByRole('list', { name: 'Conversation' })).toContainText('Yes, Thursday at 10 as planned.');
});
