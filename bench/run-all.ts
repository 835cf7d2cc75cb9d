// Runs every benchmark (dist/bench/*.js but this one) in turn, each in its own process so that
// one's memory and sockets do not weigh on the next, passing this command's flags through.
// stdout is one JSON line per benchmark; progress and a closing summary go to stderr.
//
//   npm run bench -- [--quick] [--only api-write,api-read] [flags of the benchmarks …]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));

const args = process.argv.slice(2);
const { values } = parseArgs({ args, strict: false, allowPositionals: true, options: { only: { type: 'string' } } });
const only = typeof values.only === 'string' ? new Set(values.only.split(',').filter(Boolean)) : undefined;
// --only is this script's own flag; every other flag is for the benchmarks.
const passed = args.filter((a, i) => !(a === '--only' || a.startsWith('--only=') || args[i - 1] === '--only'));

const benches = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== self)
  .map((f) => f.slice(0, -'.js'.length))
  .filter((name) => !only || only.has(name))
  .sort();
if (only) for (const name of only) if (!benches.includes(name)) throw new Error(`no benchmark named ${name} in ${here}`);

function runBench(name: string): Promise<{ code: number; seconds: number; result?: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, `${name}.js`), ...passed], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = out.trimEnd().split('\n').pop();
      resolve({ code: code ?? (signal ? 128 : 1), seconds: (performance.now() - started) / 1000, result: last?.startsWith('{') ? last : undefined });
    });
  });
}

const summary: string[] = [];
let failed = 0;
for (const name of benches) {
  process.stderr.write(`=== ${name} ${passed.join(' ')}\n`);
  const { code, seconds, result } = await runBench(name);
  const ok = code === 0 && result !== undefined;
  if (!ok) failed++;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(16)} ${seconds.toFixed(1).padStart(7)} s${ok ? '' : ` (exit code ${code}${result ? '' : ', no result line'})`}`);
}
process.stderr.write(`=== summary\n${summary.join('\n')}\n`);
process.exitCode = failed ? 1 : 0;
