import { test, expect } from './fixtures';
import { hydrated, signIn } from './helper';

test('a case manager makes an API token, a program reads FHIR with it, and revoking it stops it at once', async ({ page, request }) => {
  await signIn(page, 'morgan@hillside.example');
  await expect(page.getByRole('heading', { name: 'Practice cases', level: 1 })).toBeVisible();
  await page.goto('/account');
  await hydrated(page);

  const section = page.getByRole('region', { name: 'API tokens', exact: true });
  const form = section.getByRole('form', { name: 'Create an API token' });
  // Only what a practice case manager could read is offered.
  await expect(form.getByLabel('Referrals and their patients')).toBeVisible();
  await expect(form.getByLabel('The activity log')).toHaveCount(0);

  // Nothing chosen: refused, with the reason by the field.
  await form.getByLabel('Token name').fill('Records sync');
  await form.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByText('Choose at least one thing the token may read.').first()).toBeVisible();

  await form.getByLabel('Referrals and their patients').check();
  await form.getByLabel('Expires after').selectOption({ label: '30 days' });
  // A wrong password makes nothing; the right one makes the token.
  await form.getByLabel('Your password, to create a token').fill('not my password');
  await form.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByText('Your password is not right.').first()).toBeVisible();
  await form.getByLabel('Your password, to create a token').fill('caseport-demo-2026');
  await form.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copy it now: it is not shown again.' })).toBeVisible();
  const token = await page.getByLabel('Your new token').inputValue();
  expect(token).toMatch(/^cpt_[0-9a-f]{64}$/);
  const table = section.getByRole('table', { name: 'Your API tokens' });
  await expect(table.getByRole('row', { name: /Records sync/ })).toContainText('Never');

  // A program reads Dr. Chen's referrals as FHIR, with the token alone.
  const tasks = await request.get('/fhir/r4/Task?status=accepted', {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(tasks.status()).toBe(200);
  expect(tasks.headers()['content-type']).toContain('application/fhir+json');
  const bundle = await tasks.json();
  expect(bundle.resourceType).toBe('Bundle');
  const aisha = bundle.entry.map((e: any) => e.resource).find((t: any) => t.for.display === 'Aisha Khan');
  expect(aisha.status).toBe('accepted');
  expect(aisha.requester.display).toBe('Dr. Ana Ortiz');
  // Outside its scope: refused with an OperationOutcome.
  const doctors = await request.get(`/fhir/r4/Practitioner?_id=1`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(doctors.status()).toBe(403);
  expect((await doctors.json()).resourceType).toBe('OperationOutcome');

  // The signed-in browser reads the same endpoint with its session.
  const viaSession = await page.request.get(`/fhir/r4/Task/${aisha.id}`);
  expect(viaSession.status()).toBe(200);
  expect((await viaSession.json()).for.display).toBe('Aisha Khan');

  // The list shows the use; revoking stops the token at once.
  await page.reload();
  await hydrated(page);
  await expect(table.getByRole('row', { name: /Records sync/ })).not.toContainText('Never');
  await table.getByRole('button', { name: 'Revoke token Records sync' }).click();
  await expect(table.getByRole('row', { name: /Records sync/ })).toContainText('Revoked');
  const after = await request.get(`/fhir/r4/Task/${aisha.id}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(after.status()).toBe(401);
  const refused = await after.json();
  expect(refused.resourceType).toBe('OperationOutcome');
  expect(JSON.stringify(refused)).not.toContain('Aisha');
});
