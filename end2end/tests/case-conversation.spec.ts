import { test, expect } from './fixtures';
import { downloaded, hydrated, referNewPatient, signIn } from './helper';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n');

test('an internal note stays in its practice while messages and files reach both sides', async ({ page, browser }) => {
  // Dr. Ortiz (Riverside) refers a new patient to Dr. Chen (Hillside).
  await signIn(page, 'ortiz@riverside.example');
  await expect(page.getByRole('heading', { name: 'My cases', level: 1 })).toBeVisible();
  const id = await referNewPatient(page, 'Kofi Mensah', 'Syncope on exertion', 'Ana Ortiz', 'Li Chen');

  // Morgan, Hillside's case manager, notes something for Hillside alone,
  // then asks Riverside for the ECG.
  const morgan = await (await browser.newContext()).newPage();
  await signIn(morgan, 'morgan@hillside.example');
  await expect(morgan.getByRole('heading', { name: 'Practice cases', level: 1 })).toBeVisible();
  await morgan.goto(`/cases/${id}`);
  await hydrated(morgan);
  const write = morgan.getByRole('form', { name: 'Write on this case' });
  await write.getByLabel('Message').fill('Cardiology has a slot on Friday; hold it for him.');
  await write.getByLabel('Internal note: Hillside Specialists only').check();
  await write.getByRole('button', { name: 'Add internal note' }).click();
  const thread = morgan.getByRole('list', { name: 'Messages' });
  const note = thread.getByRole('listitem').filter({ hasText: 'slot on Friday' });
  await expect(note).toContainText('Internal note');
  await expect(note).toContainText('Morgan Hill (case manager, for Dr. Li Chen)');
  await expect(write.getByLabel('Message')).toHaveValue('');
  await write.getByLabel('Message').fill('Please send the latest ECG.');
  await write.getByLabel('Everyone on the case').check();
  await write.getByRole('button', { name: 'Send message' }).click();
  await expect(thread.getByRole('listitem')).toHaveCount(2);

  // Dr. Ortiz hears of the message without reloading, follows it to the
  // case, and sees the message, never the note: not on the page, not from
  // the server function the page calls.
  await hydrated(page);
  const bell = page.getByRole('button', { name: /^Notifications/ });
  await expect(bell).toHaveText(/Notifications, \d+ unread/, { timeout: 15_000 });
  await bell.click();
  const told = `Morgan Hill (for Dr. Li Chen) wrote on case #${id}.`;
  await page.getByRole('region', { name: 'Notifications' }).getByRole('link', { name: told }).click();
  await expect(page.getByRole('heading', { name: 'Kofi Mensah' })).toBeVisible();
  await hydrated(page);
  const riverside = page.getByRole('list', { name: 'Messages' });
  await expect(riverside.getByRole('listitem')).toHaveCount(1);
  await expect(riverside).toContainText('Please send the latest ECG.');
  await expect(page.getByText('slot on Friday')).toHaveCount(0);
  const api = await page.request.get(`/api/cases/conversation?id=${id}`);
  expect(api.status()).toBe(200);
  const body = await api.text();
  expect(body).toContain('Please send the latest ECG.');
  expect(body).not.toContain('slot on Friday');

  // He attaches the ECG; it is listed for him and in the case's history.
  const attach = page.getByRole('form', { name: 'Attach a file' });
  await attach.getByLabel('File to attach').setInputFiles({ name: 'ECG 2 Dec.pdf', mimeType: 'application/pdf', buffer: PDF });
  await attach.getByRole('button', { name: 'Attach file' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'File attached.' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Attached files' }).getByRole('link', { name: 'ECG 2 Dec.pdf' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'History' })).toContainText('File attached: ECG 2 Dec.pdf by Dr. Ana Ortiz');

  // A file that is not what it claims is refused with the reason.
  await attach.getByLabel('File to attach').setInputFiles({ name: 'trojan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 program') });
  await page.getByRole('form', { name: 'Attach a file' }).getByRole('button', { name: 'Attach file' }).click();
  await expect(page.getByRole('alert')).toContainText('This kind of file is not accepted');
  await expect(page.getByRole('list', { name: 'Attached files' }).getByRole('listitem')).toHaveCount(1);

  // Morgan downloads exactly what he attached.
  await morgan.reload();
  await hydrated(morgan);
  const file = await downloaded(morgan, morgan.getByRole('list', { name: 'Attached files' }).getByRole('link', { name: 'ECG 2 Dec.pdf' }));
  expect(file.name).toBe('ECG 2 Dec.pdf');
  expect(file.bytes.equals(PDF)).toBe(true);
});
