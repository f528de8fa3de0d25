import { test, expect, type Page } from './fixtures';
import { hydrated, referNewPatient, signIn } from './helper';

function queue(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Work queues' }).getByRole('link', { name: new RegExp(`^${name} \\d+$`) });
}

async function countOf(page: Page, name: string): Promise<number> {
  const text = (await queue(page, name).textContent()) ?? '';
  return Number(text.replace(/\D+/g, ''));
}

test('a case manager takes a new referral and it moves from Unassigned to Mine', async ({ page, browser }) => {
  // Dr. Ortiz refers a new patient to Dr. Chen at Hillside.
  await signIn(page, 'ortiz@riverside.example');
  await expect(page.getByRole('heading', { name: 'My cases', level: 1 })).toBeVisible();
  await referNewPatient(page, 'Ingrid Solberg', 'Holter monitoring', 'Ana Ortiz', 'Li Chen');
  // For Riverside the next step is Hillside's.
  await page.goto('/');
  await hydrated(page);
  await queue(page, 'Waiting on them').click();
  await expect(page.getByRole('table', { name: 'Cases' }).getByRole('link', { name: 'Ingrid Solberg' })).toBeVisible();

  // Morgan, Hillside's case manager, finds it among the unassigned cases.
  const morgan = await (await browser.newContext()).newPage();
  await signIn(morgan, 'morgan@hillside.example');
  await expect(morgan.getByRole('heading', { name: 'Practice cases', level: 1 })).toBeVisible();
  await hydrated(morgan);
  const unassigned = await countOf(morgan, 'Unassigned');
  const mine = await countOf(morgan, 'Mine');
  await queue(morgan, 'Unassigned').click();
  await expect(morgan).toHaveURL(/\?queue=unassigned$/);
  await expect(queue(morgan, 'Unassigned')).toHaveAttribute('aria-current', 'true');
  await expect(morgan.getByTestId('case-count')).toHaveText(`${unassigned} cases`);
  await morgan.getByRole('table', { name: 'Cases' }).getByRole('link', { name: 'Ingrid Solberg' }).click();
  await expect(morgan.getByRole('heading', { name: 'Ingrid Solberg' })).toBeVisible();
  await hydrated(morgan);
  await expect(morgan.getByTestId('case-owner')).toHaveText('Unassigned');
  await morgan.getByRole('form', { name: 'Case owner' }).getByRole('button', { name: 'Assign to me' }).click();
  await expect(morgan.getByTestId('case-owner')).toHaveText('Morgan Hill');
  await expect(morgan.getByRole('button', { name: 'Assign to me' })).toHaveCount(0);
  await expect(morgan.getByLabel('Owner of this case')).toHaveValue(/\d+/);
  await expect(morgan.getByRole('list', { name: 'History' })).toContainText('Assigned to Morgan Hill by Morgan Hill (case manager) for Dr. Li Chen');

  // Back on the list: one fewer unassigned, one more of hers.
  await morgan.goto('/');
  await hydrated(morgan);
  await expect(queue(morgan, 'Unassigned')).toHaveText(`Unassigned ${unassigned - 1}`);
  await expect(queue(morgan, 'Mine')).toHaveText(`Mine ${mine + 1}`);
  await queue(morgan, 'Unassigned').click();
  await expect(morgan.getByTestId('case-count')).toHaveText(`${unassigned - 1} cases`);
  await expect(morgan.getByRole('link', { name: 'Ingrid Solberg' })).toHaveCount(0);
  await queue(morgan, 'Mine').click();
  await expect(morgan).toHaveURL(/\?queue=mine$/);
  const row = morgan.getByRole('row').filter({ has: morgan.getByRole('link', { name: 'Ingrid Solberg' }) });
  await expect(row.getByRole('cell', { name: 'Morgan Hill' })).toBeVisible();

  // Dr. Ortiz's page of the case names its owner; he cannot choose one.
  await page.getByRole('link', { name: 'Ingrid Solberg' }).click();
  await expect(page.getByTestId('case-owner')).toHaveText('Morgan Hill');
  await expect(page.getByRole('form', { name: 'Case owner' })).toHaveCount(0);
});
