import { test, expect } from './fixtures';
import { hydrated, mailed, signIn } from './helper';

test("a doctor hands their notifications to the practice's case manager, who hears of them for him", async ({ page, browser }) => {
  // Dr. Chen passes his notifications to Hillside's case manager.
  await signIn(page, 'chen@hillside.example');
  await expect(page.getByRole('heading', { name: 'My cases', level: 1 })).toBeVisible();
  await page.goto('/account');
  await hydrated(page);
  const form = page.getByRole('form', { name: 'Digest and hand-on' });
  const handOn = form.getByLabel("Send my notifications to my practice's case managers instead of me");
  await expect(handOn).not.toBeChecked();
  await expect(form.getByText('Morgan Hill will receive them')).toBeVisible();
  await handOn.check();
  await form.getByLabel('Daily digest time').selectOption({ label: '08:00' });
  await form.getByRole('button', { name: 'Save delivery settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Delivery settings saved.' })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(handOn).toBeChecked();
  await expect(form.getByLabel('Daily digest time')).toHaveValue('8');

  // Dr. Ortiz writes on Aisha Khan's case, which is Dr. Chen's.
  const ortiz = await (await browser.newContext()).newPage();
  await signIn(ortiz, 'ortiz@riverside.example');
  await ortiz.getByRole('link', { name: 'Aisha Khan' }).click();
  await expect(ortiz.getByRole('heading', { name: 'Aisha Khan' })).toBeVisible();
  await hydrated(ortiz);
  const caseId = ortiz.url().match(/\/cases\/(\d+)/)![1];
  const write = ortiz.getByRole('form', { name: 'Write on this case' });
  await write.getByLabel('Message').fill('The Holter results are in.');
  await write.getByRole('button', { name: 'Send message' }).click();
  await expect(ortiz.getByRole('list', { name: 'Messages' })).toContainText('The Holter results are in.');

  // Morgan is told, for Dr. Chen, in the app and by mail.
  const morgan = await (await browser.newContext()).newPage();
  await signIn(morgan, 'morgan@hillside.example');
  await expect(morgan.getByRole('heading', { name: 'Practice cases', level: 1 })).toBeVisible();
  await hydrated(morgan);
  await morgan.getByRole('button', { name: /^Notifications/ }).click();
  await morgan.getByRole('region', { name: 'Notifications' }).getByRole('link', { name: `For Dr. Li Chen: Dr. Ana Ortiz wrote on case #${caseId}.` }).click();
  await expect(morgan.getByRole('heading', { name: 'Aisha Khan' })).toBeVisible();
  await expect(morgan.getByRole('list', { name: 'Messages' })).toContainText('The Holter results are in.');
  await expect(morgan.getByRole('button', { name: /^Notifications/ })).toHaveText('Notifications');
  const mail = await mailed('morgan@hillside.example', new RegExp(`case #${caseId} has a new message`));
  expect(mail.text).toContain('You receive this for Dr. Li Chen');
  expect(mail.text).not.toContain('Holter');

  // He takes them back.
  await handOn.uncheck();
  await form.getByRole('button', { name: 'Save delivery settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Delivery settings saved.' })).toBeVisible();
});
