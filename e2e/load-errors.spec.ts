import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { LabPage } from './pages/labPage.ts';

test('an invalid scenario is rejected with paths and the previous one stays loaded', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.open();
  const before = await lab.topology();
  expect(before).not.toBeNull();
  await lab.runTo(2_000_000);
  const hashBefore = await lab.traceHash();

  const result = await lab.load({
    version: 1,
    name: 'Broken',
    cluster: { taskManagers: 0 },
    job: { operators: [{ id: 'x', kind: 'no-such-operator' }] },
    bogus: true,
  });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(typeof e.path).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
  }
  expect(result.errors.some((e) => e.path.length > 0)).toBe(true);

  // The previous scenario is still loaded, at the same point of its run.
  expect(await lab.topology()).toEqual(before);
  expect(await lab.traceHash()).toBe(hashBefore);
  await expect(lab.scenarioName).toHaveText(before!.scenarioName);
  await expect(page.getByRole('alert')).toContainText('The scenario was not loaded');

  // A non-object is rejected too.
  const notObject = await lab.load('not a scenario');
  expect(notObject.ok).toBe(false);
  expect(await lab.traceHash()).toBe(hashBefore);
});

const HOSTILE = fileURLToPath(new URL('../engine/scenario/testdata/hostile/', import.meta.url));
function hostile(file: string): unknown {
  return JSON.parse(readFileSync(HOSTILE + file, 'utf8')) as unknown;
}

test('hostile scenarios are refused quickly with a message naming the field; the current one stays', async ({
  page,
}) => {
  const lab = new LabPage(page);
  await lab.open();
  const before = await lab.topology();
  await lab.runTo(1_000_000);
  const hashBefore = await lab.traceHash();
  const alert = page.getByRole('alert');

  const cases: { file: string; path: string; text: string }[] = [
    {
      file: 'size-parallelism-10000.json',
      path: 'job.operators[1].parallelism',
      text: 'parallelism 10,000 is too large: the simulator runs at most 128 subtasks per operator',
    },
    {
      file: 'proto-keyby-constructor.json',
      path: 'job.operators[1].keyBy',
      text: '"constructor" cannot be used as a field name',
    },
    {
      file: 'proto-operator-id-toString.json',
      path: 'job.operators[1].id',
      text: '"toString" cannot be used as an operator id',
    },
    {
      // The test bridge's serialization drops an own "__proto__" key, so the topic's reader names it.
      file: 'proto-topic-proto.json',
      path: 'job.operators[0].topic',
      text: '"__proto__" cannot be used as a topic name',
    },
    {
      file: 'absurd-sliding-1h-1ms.json',
      path: 'job.operators[1].window',
      text: 'puts every record into 3,600,000 windows',
    },
    {
      file: 'absurd-rate-tiny.json',
      path: 'topics.input.generator.ratePerSecond',
      text: 'must be between 0.01 and 1,000,000 records per second',
    },
    {
      file: 'type-version-string.json',
      path: 'version',
      text: 'must be the number 1, not the string "1"',
    },
  ];
  for (const c of cases) {
    const started = Date.now();
    const result = await lab.load(hostile(c.file));
    expect(Date.now() - started, c.file).toBeLessThan(5_000);
    expect(result.ok, c.file).toBe(false);
    if (result.ok) continue;
    expect(result.errors.map((e) => e.path)).toContain(c.path);
    expect(result.errors.find((e) => e.path === c.path)?.message).toContain(c.text);
    await expect(alert).toContainText('The scenario was not loaded');
    await expect(alert).toContainText(c.text);
  }

  // A huge document: one error naming the count and the limit, at once.
  const operators = Array.from({ length: 100_000 }, (_, i) => ({ id: `m${i}`, kind: 'map', bogus: 1 }));
  const huge = await lab.load({ version: 1, name: 'huge', topics: {}, job: { operators } });
  expect(huge.ok ? [] : huge.errors).toEqual([
    { path: 'job.operators', message: 'has 100,000 operators; the simulator accepts at most 256' },
  ]);

  // Many problems: the first 10, then a count of the rest.
  const many = await lab.load(hostile('size-600-unknown-config-keys.json'));
  expect(many.ok ? 0 : many.errors.length).toBe(11);
  await expect(alert).toContainText('... and 590 more problems');

  // Scenario text is shown as text, never as markup.
  const markup = hostile('type-input-unknown.json') as { job: { operators: { input?: string }[] } };
  const op = markup.job.operators[1];
  if (op !== undefined) op.input = '<img src=x onerror="window.__pwned = 1">';
  expect((await lab.load(markup)).ok).toBe(false);
  await expect(alert).toContainText('unknown operator "<img src=x onerror="window.__pwned = 1">"');
  expect(await alert.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // Nothing replaced the running scenario.
  expect(await lab.topology()).toEqual(before);
  expect(await lab.traceHash()).toBe(hashBefore);
});
