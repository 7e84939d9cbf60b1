import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, tempDir } from './helpers.js';

/** The recorded Claude trajectory the scenario replays by default: beside the repository, as in CI. */
const FIXTURES = new URL('../../../../shared/fixtures/recorded-claude-trajectory/', import.meta.url);
const haveFixtures = existsSync(FIXTURES);
if (!haveFixtures && !process.env.CI) console.warn(`Skipping the prompt-cache bench: ${FIXTURES.pathname} is not there.`);

describe.skipIf(!haveFixtures && !process.env.CI)('troupe bench --scenario prompt-cache', () => {
  it('replays the trajectory with and without caching; caching bills less input at full price and costs less', async () => {
    const json = join(tempDir(), 'bench.json');
    const { code, stdout, stderr } = await spawnCli(['bench', '--scenario', 'prompt-cache', '--json', json]).done;
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const { figures, rows } = JSON.parse(readFileSync(json, 'utf8')).scenarios['prompt-cache'];

    expect(rows.map((row: { caching: string; status: string }) => [row.caching, row.status])).toEqual([
      ['on', 'finished'],
      ['off', 'finished'],
    ]);
    expect(rows[0].requests).toBe(6);
    expect(rows[0].input_tokens).toBe(rows[1].input_tokens);
    expect(rows[1].full_price_input_tokens).toBe(rows[1].input_tokens);
    expect(figures.full_price_input_tokens_with_caching).toBeLessThan(figures.full_price_input_tokens_without_caching);
    expect(figures.cost_ratio).toBeGreaterThan(0);
    expect(figures.cost_ratio).toBeLessThan(1);
    for (const row of rows) expect(row.troupe_cost_usd).toBeCloseTo(row.cost_usd, 6);
  }, 120_000);
});
