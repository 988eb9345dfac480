import { describe, expect, it } from 'vitest';
import { decodeLink, encodeLink, linkUrl } from '../link/linkCodec.ts';
import { sessionRun } from '../link/testRuns.ts';
import { runCli } from './main.ts';
import { memoryIo } from './memoryIo.ts';

async function cli(
  files: Record<string, string>,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(files);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const hashOf = (out: string) => /Trace hash\s+([0-9a-f]{16})/.exec(out)?.[1];

describe('link and run <link>', () => {
  it('link prints a URL whose run gives the same trace hash as running the scenario with the same options', async () => {
    const opts = ['--seed', '7', '--fault', '12s:kill-taskmanager:tm-1', '--action', '20s:savepoint'];
    const made = await cli({}, 'link', 'click-count', ...opts, '--at', '30s');
    expect(made.code).toBe(0);
    const url = made.out.trim();
    expect(url).toMatch(/^http:\/\/localhost:5173\/#l=[A-Za-z0-9_-]+$/);
    const decoded = decodeLink(url);
    expect(decoded.ok && decoded.run.playhead).toEqual({ timeUs: 30_000_000 });
    const viaLink = await cli({}, 'run', url);
    const direct = await cli({}, 'run', 'click-count', ...opts, '--until', '30s');
    expect(viaLink.code).toBe(0);
    expect(hashOf(viaLink.out)).toBeDefined();
    expect(hashOf(viaLink.out)).toBe(hashOf(direct.out));
    // The fragment alone and the bare payload work too; --json keeps its shape.
    const payload = url.slice(url.indexOf('#l=') + 3);
    for (const arg of [`#l=${payload}`, payload])
      expect(hashOf((await cli({}, 'run', arg)).out)).toBe(hashOf(direct.out));
    const json = JSON.parse((await cli({}, 'run', url, '--json')).out) as { traceHash: string };
    expect(json.traceHash).toBe(hashOf(direct.out));
  });

  it("run <link> replays a run with a fault, a savepoint, a rescale and single steps to the engine's hash", async () => {
    const { run, engine } = sessionRun();
    const r = await cli({}, 'run', linkUrl('http://lab.test/', encodeLink(run)));
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 jobs (restarted from savepoints)');
    expect(hashOf(r.out)).toBe(engine.traceHash());
  });

  it('link reads a scenario file and applies --base', async () => {
    const made = await cli({}, 'link', 'click-count', '--base', 'https://lab.example/x/');
    const file = JSON.stringify((decodeLink(made.out.trim()) as { run: { scenario: unknown } }).run.scenario);
    const r = await cli({ 's.json': file }, 'link', 's.json', '--base', 'https://lab.example/x/');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(made.out.trim());
    expect(r.out).toMatch(/^https:\/\/lab\.example\/x\/#l=/);
  });

  it('a bad link, a bad scenario and options a link cannot take exit 2 with a message', async () => {
    const url = (await cli({}, 'link', 'click-count')).out.trim();
    const cut = await cli({}, 'run', url.slice(0, 120));
    expect(cut.code).toBe(2);
    expect(cut.err).toMatch(/bad link \(truncated\): The link is cut off/);
    const bad = await cli({}, 'run', '#l=AQ*x');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/malformed.*character 3/);
    const seed = await cli({}, 'run', url, '--seed', '3');
    expect(seed.code).toBe(2);
    expect(seed.err).toMatch(/--seed cannot change it/);
    const scen = await cli({}, 'link', 'click-count', '--op', 'counter.parallelism=0');
    expect(scen.code).toBe(2);
    expect(scen.err).toMatch(/job\.operators\[1\]\.parallelism/);
    const at = await cli({}, 'link', 'click-count', '--at', 'soon');
    expect(at.code).toBe(2);
    expect(at.err).toMatch(/--at/);
  });

  it('help lists link, and "help link" documents its options', async () => {
    expect((await cli({}, 'help')).out).toContain('link <preset-id | file.json>');
    const page = (await cli({}, 'help', 'link')).out;
    for (const o of ['--at', '--seed', '--fault', '--action', '--base', '32,768']) expect(page).toContain(o);
  });
});
