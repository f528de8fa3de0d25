import { expect, test } from './fixtures';
import { hydrated, signIn } from './helper';

test('an upload says its size limit, refuses a file over it before sending, shows its progress and joins the list', async ({ page }) => {
  await signIn(page, 'sam@harbour.example');
  await expect(page.getByLabel('Signed-in user')).toContainText('Sam Scheduler');
  await page.goto('/clients');
  await page.getByRole('link', { name: 'Carlos Diaz' }).click();
  await hydrated(page);
  const upload = page.getByRole('form', { name: 'Upload a document' });
  const file = upload.getByLabel('File');
  await expect(file).toHaveAccessibleDescription(/at most 10 MB/);

  // Over the limit: refused in the browser, and nothing is sent.
  let posted = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/documents')) posted++;
  });
  await file.setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(11 * 1024 * 1024, 0x20) });
  await upload.getByRole('button', { name: 'Upload' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toContainText('scan.pdf is 11 MB: a document can be at most 10 MB.');
  await expect(file).toHaveAttribute('aria-invalid', 'true');
  await expect(file).toHaveAccessibleDescription(/scan\.pdf is 11 MB/);
  expect(posted).toBe(0);
  await summary.getByRole('link', { name: /scan\.pdf is 11 MB/ }).click();
  await expect(file).toBeFocused();

  // Not what its name says: the server refuses it, and the message stays on the page, by the field.
  await file.setInputFiles({ name: 'tool.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]) });
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(summary).toContainText('This kind of file is not accepted');
  await expect(file).toHaveAttribute('aria-invalid', 'true');
  expect(posted).toBe(1);
  await expect(page).not.toHaveURL(/upload_error/);

  // A letter: the bar reaches 100 %, a status says so, and the list shows it without leaving the page.
  await file.setInputFiles({ name: 'Carlos letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
  await expect(summary).toHaveCount(0);
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Document uploaded' })).toHaveText('Document uploaded: Carlos letter.pdf.');
  await expect(upload.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('value', '100');
  await expect(page.getByRole('table', { name: 'Documents of Carlos Diaz' })).toContainText('Carlos letter.pdf');
  await expect(file).toHaveAttribute('aria-invalid', 'false');
  expect(page.url()).not.toContain('uploaded=');
  expect(posted).toBe(2);
});
