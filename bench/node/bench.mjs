// Benchmarks of the npm package `paramsecrets` next to its baselines, in one run (DESIGN §8):
//   L1 hit (awaited getParameter)   vs Map.get and Powertools Parameters' cached SSMProvider.get
//   L1 miss (forceFetch)            vs a keep-alive fetch (undici) GET to the same emulator
//   cold start (import + client)    vs @aws-sdk/client-ssm import + new SSMClient, fresh processes
//   package size                    npm pack tarball and unpacked
//   Powertools provider (issue 20)  paramsecrets/powertools' cached get vs Powertools' own SSMProvider's;
//                                   INIT (fresh process: import + provider), first read and RSS of
//                                   Powertools' SDK SSMProvider vs ours
// Prints medians with their spread (min–max over rounds) and ratios, and writes RESULTS.md and
// summary.json (schema 1, bench/README.md) for the summary table of bench/RESULTS.md.
//
// Usage: node bench.mjs [--quick]   (make -C bench/node bench | bench-quick)

import { spawn, spawnSync, execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { createServer } from 'node:http'
import { writeFileSync, mkdtempSync, existsSync } from 'node:fs'
import { tmpdir, cpus, loadavg } from 'node:os'
import { join, dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'

const execFileAsync = promisify(execFile)
const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
const pkgDir = join(repo, 'bindings-node')
const entry = pathToFileURL(join(pkgDir, 'lib', 'index.mjs')).href
const powertoolsEntry = pathToFileURL(join(pkgDir, 'lib', 'powertools.mjs')).href
const quick = process.argv.includes('--quick')

const CFG = quick
  ? { rounds: 5, hitIters: 50_000, missRounds: 5, missIters: 200, coldRuns: 7 }
  : { rounds: 15, hitIters: 200_000, missRounds: 9, missIters: 1_000, coldRuns: 21 }
const BUDGET = { hitNs: 2000, vsPowertools: 1, vsGet: 200, coldMs: 20, packageBytes: 4_000_000, providerInit: 5 }
const TOKEN = 'bench-token'
const NAME = '/bench/param'
const VALUE = 'bench-value-0123456789'

// ------------------------------------------------------------------------------------------
// helpers
// ------------------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length })

/** ns per awaited call of `fn`, one figure per round. */
async function perCall (fn, iters, rounds) {
  for (let i = 0; i < Math.min(iters, 10_000); i++) await fn() // warm-up (JIT)
  const out = []
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < iters; i++) await fn()
    out.push(Number(process.hrtime.bigint() - t0) / iters)
  }
  return summary(out)
}

/** ns per synchronous call of `fn`. */
function perCallSync (fn, iters, rounds) {
  let sink = 0
  for (let i = 0; i < 10_000; i++) sink += fn() === undefined ? 0 : 1
  const out = []
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < iters; i++) sink += fn() === undefined ? 0 : 1
    out.push(Number(process.hrtime.bigint() - t0) / iters)
  }
  if (sink < 0) console.log(sink)
  return summary(out)
}

async function startEmulator () {
  const bin = process.env.PARAMSECRETS_EMULATOR || join(repo, 'target', 'debug', 'paramsecrets-emulator')
  if (!existsSync(bin)) throw new Error(`no emulator at ${bin}: cargo build -p paramsecrets-emulator`)
  const dir = mkdtempSync(join(tmpdir(), 'paramsecrets-bench-'))
  const store = join(dir, 'store.json')
  writeFileSync(store, JSON.stringify({ parameters: [{ name: NAME, value: VALUE }] }))
  const child = spawn(bin, ['--store', store, '--port', '0', '--token', TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (c) => reject(new Error(`emulator exited ${c}`)))
  })
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)[1])
  return { port, url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') }
}

/** A tiny stand-in for the SSM API (awsJson1_1 GetParameter), for Powertools' first fetch. */
async function startSsmStub () {
  let calls = 0
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => { body += d })
    req.on('end', () => {
      calls++
      const { Name } = JSON.parse(body || '{}')
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
      res.end(JSON.stringify({
        Parameter: { ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${Name}`, DataType: 'text', LastModifiedDate: 1704067200, Name, Type: 'String', Value: VALUE, Version: 1 }
      }))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}`, calls: () => calls, stop: () => server.close() }
}

/** Milliseconds reported by `script` (it prints one number), in fresh processes. */
function coldStart (script, runs, cwd) {
  const inProcess = []
  const wall = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' })
    wall.push(performance.now() - t0)
    if (r.status !== 0) throw new Error(`cold-start script failed: ${r.stderr}`)
    inProcess.push(Number(r.stdout.trim()))
  }
  return { inProcess: summary(inProcess), wall: summary(wall) }
}

/** `script` prints JSON `{ initMs, firstMs, rssMiB }`; medians over fresh processes. */
// Asynchronous: the SDK's first read goes to the SSM stub this process serves.
async function freshProcess (script, runs, cwd, env) {
  const out = { initMs: [], firstMs: [], rssMiB: [] }
  for (let i = 0; i < runs; i++) {
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 })
    const j = JSON.parse(stdout.trim().split('\n').pop())
    for (const k of Object.keys(out)) out[k].push(j[k])
  }
  return Object.fromEntries(Object.entries(out).map(([k, xs]) => [k, summary(xs)]))
}

const fmtNs = (s) => s.median >= 10_000
  ? `${(s.median / 1000).toFixed(1)} µs (${(s.min / 1000).toFixed(1)}–${(s.max / 1000).toFixed(1)})`
  : `${s.median.toFixed(0)} ns (${s.min.toFixed(0)}–${s.max.toFixed(0)})`
const fmtMs = (s) => `${s.median.toFixed(2)} ms (${s.min.toFixed(2)}–${s.max.toFixed(2)})`
const ratio = (a, b) => `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}×`

// ------------------------------------------------------------------------------------------
// run
// ------------------------------------------------------------------------------------------

const { Client } = await import(entry)
const { SSMClient } = await import('@aws-sdk/client-ssm')
const { SSMProvider } = await import('@aws-lambda-powertools/parameters/ssm')
const { ExtensionSSMProvider } = await import(powertoolsEntry)

const emu = await startEmulator()
const stub = await startSsmStub()
const rows = []
const notes = []
const fig = {} // the figures summary.json reports
try {
  console.log(`paramsecrets Node benchmark (${quick ? 'quick' : 'full'}): node ${process.version}, ${cpus().length} cores`)

  // --- L1 hit -----------------------------------------------------------------------------
  const client = new Client({ endpoint: emu.url, token: TOKEN })
  if (await client.getParameter(NAME) !== VALUE) throw new Error('wrong value from the emulator')
  const map = new Map([[NAME, VALUE]])
  const provider = new SSMProvider({
    awsSdkV3Client: new SSMClient({ endpoint: stub.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' } })
  })
  if (await provider.get(NAME, { maxAge: 3600 }) !== VALUE) throw new Error('wrong value from the SSM stub')

  const hit = await perCall(() => client.getParameter(NAME), CFG.hitIters, CFG.rounds)
  const mapGet = perCallSync(() => map.get(NAME), CFG.hitIters, CFG.rounds)
  const mapAwait = await perCall(() => map.get(NAME), CFG.hitIters, CFG.rounds)
  const pt = await perCall(() => provider.get(NAME, { maxAge: 3600 }), CFG.hitIters / 4, CFG.rounds)
  const oursProvider = new ExtensionSSMProvider({ clientOptions: { endpoint: emu.url, token: TOKEN } })
  if (await oursProvider.get(NAME, { maxAge: 3600 }) !== VALUE) throw new Error('wrong value through paramsecrets/powertools')
  const ptOurs = await perCall(() => oursProvider.get(NAME, { maxAge: 3600 }), CFG.hitIters / 4, CFG.rounds)
  const ptOursDefault = await perCall(() => oursProvider.get(NAME), CFG.hitIters / 4, CFG.rounds)
  const ptDefault = await perCall(() => provider.get(NAME), CFG.hitIters / 4, CFG.rounds)
  if (oursProvider.paramsecrets.stats().requests !== 1) throw new Error(`the provider hit loop sent requests: ${JSON.stringify(oursProvider.paramsecrets.stats())}`)
  if (client.stats().requests !== 1) throw new Error(`the hit loop sent requests: ${JSON.stringify(client.stats())}`)
  if (stub.calls() !== 1) throw new Error(`Powertools went to the stub ${stub.calls()} times`)
  console.log(`L1 hit, awaited getParameter:       ${fmtNs(hit)}`)
  console.log(`  Map.get (sync):                   ${fmtNs(mapGet)}`)
  console.log(`  await Map.get:                    ${fmtNs(mapAwait)}`)
  console.log(`  Powertools SSMProvider.get (hit): ${fmtNs(pt)}  → Powertools time / paramsecrets time = ${ratio(pt.median, hit.median)}`)
  console.log(`paramsecrets/powertools get (hit):  ${fmtNs(ptOurs)}  → Powertools / ours = ${ratio(pt.median, ptOurs.median)}`)
  console.log(`  the same, default maxAge (5 s):   ${fmtNs(ptOursDefault)}  vs Powertools ${fmtNs(ptDefault)}  → ${ratio(ptDefault.median, ptOursDefault.median)}`)
  Object.assign(fig, { hit, mapGet, mapAwait, pt, ptOurs, ptOursDefault, ptDefault })
  rows.push(['L1 hit, `await client.getParameter(name)`', fmtNs(hit), '', '', `≤ 2 µs: ${hit.median <= BUDGET.hitNs ? 'met' : 'MISSED'}`])
  rows.push(['↳ `Map.get(name)` (sync)', '', fmtNs(mapGet), `hit / Map.get = ${ratio(hit.median, mapGet.median)}`, ''])
  rows.push(['↳ `await Map.get(name)`', '', fmtNs(mapAwait), `hit / await Map.get = ${ratio(hit.median, mapAwait.median)}`, ''])
  rows.push(['↳ Powertools `SSMProvider.get` (cached)', '', fmtNs(pt), `Powertools / paramsecrets = ${ratio(pt.median, hit.median)}`, `≥ 1.0× (no slower): ${pt.median / hit.median >= BUDGET.vsPowertools ? 'met' : 'MISSED'}`])

  rows.push(['`paramsecrets/powertools` `ExtensionSSMProvider.get(name, { maxAge: 3600 })` (cached)', fmtNs(ptOurs), fmtNs(pt), `Powertools / ours = ${ratio(pt.median, ptOurs.median)}`, `≥ 1.0× (no slower): ${pt.median / ptOurs.median >= BUDGET.vsPowertools ? 'met' : 'MISSED'}`])
  rows.push(['↳ the same with the default maxAge (`get(name)`, 5 s)', fmtNs(ptOursDefault), fmtNs(ptDefault), `Powertools / ours = ${ratio(ptDefault.median, ptOursDefault.median)}`, `≥ 1.0×: ${ptDefault.median / ptOursDefault.median >= BUDGET.vsPowertools ? 'met' : 'MISSED'}`])

  // --- L1 miss ----------------------------------------------------------------------------
  const miss = await perCall(() => client.getParameter(NAME, { forceFetch: true }), CFG.missIters, CFG.missRounds)
  const url = `${emu.url}/systemsmanager/parameters/get?name=${encodeURIComponent(NAME)}&withDecryption=true`
  const headers = { 'X-Aws-Parameters-Secrets-Token': TOKEN }
  const viaFetch = async () => {
    const r = await fetch(url, { headers })
    const body = await r.json()
    return body.Parameter.Value
  }
  if (await viaFetch() !== VALUE) throw new Error('fetch baseline read the wrong value')
  const f = await perCall(viaFetch, CFG.missIters, CFG.missRounds)
  console.log(`L1 miss, forceFetch getParameter:   ${fmtNs(miss)}`)
  console.log(`  keep-alive fetch GET + json():    ${fmtNs(f)}  → ratio ${ratio(f.median, miss.median)}`)
  Object.assign(fig, { miss, get: f })
  rows.push(['L1 miss (`forceFetch`), served by the emulator', fmtNs(miss), '', '', ''])
  rows.push(['↳ keep-alive `fetch` (undici) GET + `json()`', '', fmtNs(f), `fetch / paramsecrets = ${ratio(f.median, miss.median)}`, `no slower than fetch: ${miss.median <= f.median ? 'met' : 'MISSED'}`])
  rows.push(['↳ L1 hit vs one keep-alive GET', '', '', `GET / hit = ${ratio(f.median, hit.median)}`, `≥ 200×: ${f.median / hit.median >= 200 ? 'met' : 'MISSED'}`])

  // --- cold start -------------------------------------------------------------------------
  const ours = `const t0 = performance.now(); const { Client } = await import(${JSON.stringify(entry)}); new Client({ port: 2773, token: 't' }); console.log(performance.now() - t0)`
  const sdk = `const t0 = performance.now(); const { SSMClient } = await import('@aws-sdk/client-ssm'); new SSMClient({ region: 'us-east-1' }); console.log(performance.now() - t0)`
  const empty = `const t0 = performance.now(); console.log(performance.now() - t0)`
  const c1 = coldStart(ours, CFG.coldRuns, here)
  const c2 = coldStart(sdk, CFG.coldRuns, here)
  const c0 = coldStart(empty, CFG.coldRuns, here)
  console.log(`cold start, import + new Client():  ${fmtMs(c1.inProcess)}  (process wall ${fmtMs(c1.wall)})`)
  console.log(`  @aws-sdk/client-ssm + SSMClient:  ${fmtMs(c2.inProcess)}  (process wall ${fmtMs(c2.wall)})  → ${ratio(c2.inProcess.median, c1.inProcess.median)}`)
  console.log(`  empty node process wall:          ${fmtMs(c0.wall)}`)
  Object.assign(fig, { cold: c1, coldSdk: c2 })
  rows.push([`Cold start: \`import\` + \`new Client()\` (fresh process, median of ${CFG.coldRuns})`, fmtMs(c1.inProcess), '', '', `≤ 20 ms: ${c1.inProcess.median <= BUDGET.coldMs ? 'met' : 'MISSED'}`])
  rows.push(['↳ `@aws-sdk/client-ssm` import + `new SSMClient()`', '', fmtMs(c2.inProcess), `SDK / paramsecrets = ${ratio(c2.inProcess.median, c1.inProcess.median)}`, ''])
  rows.push(['↳ whole process wall time (ours / SDK / empty `node`)', fmtMs(c1.wall), `${fmtMs(c2.wall)} / ${fmtMs(c0.wall)}`, '', ''])

  // --- Powertools provider: INIT, first read, RSS (fresh processes) ----------------------------
  // Each process: import + provider construction (INIT), then one get (the first read, ours
  // from the emulator, the SDK's from the local SSM stub), then its RSS.
  const measure = (imports, build) => `const t0 = performance.now(); ${imports}; const p = ${build}; const t1 = performance.now();
const v = await p.get(${JSON.stringify(NAME)}); const t2 = performance.now();
if (v !== ${JSON.stringify(VALUE)}) throw new Error('wrong value');
console.log(JSON.stringify({ initMs: t1 - t0, firstMs: t2 - t1, rssMiB: process.memoryUsage().rss / 1048576 }))`
  const oursScript = measure(`const { ExtensionSSMProvider } = await import(${JSON.stringify(powertoolsEntry)})`, 'new ExtensionSSMProvider()')
  const sdkScript = measure("const { SSMProvider } = await import('@aws-lambda-powertools/parameters/ssm')",
    `new SSMProvider({ clientConfig: { endpoint: ${JSON.stringify(stub.url)}, region: 'us-east-1' } })`)
  const lambdaEnv = { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(emu.port), AWS_SESSION_TOKEN: TOKEN, AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' }
  const pOurs = await freshProcess(oursScript, CFG.coldRuns, here, lambdaEnv)
  const pSdk = await freshProcess(sdkScript, CFG.coldRuns, here, lambdaEnv)
  console.log(`Powertools provider INIT (import + new):  ours ${fmtMs(pOurs.initMs)}, SDK SSMProvider ${fmtMs(pSdk.initMs)}  → ${ratio(pSdk.initMs.median, pOurs.initMs.median)}`)
  console.log(`  first read:                             ours ${fmtMs(pOurs.firstMs)}, SDK ${fmtMs(pSdk.firstMs)}`)
  console.log(`  RSS after it:                           ours ${pOurs.rssMiB.median.toFixed(1)} MiB, SDK ${pSdk.rssMiB.median.toFixed(1)} MiB`)
  Object.assign(fig, { pOurs, pSdk })
  const mib = (s) => `${s.median.toFixed(1)} MiB (${s.min.toFixed(1)}–${s.max.toFixed(1)})`
  rows.push([`Powertools provider INIT: \`import\` + \`new ExtensionSSMProvider()\` vs \`new SSMProvider()\` (fresh process, median of ${CFG.coldRuns})`, fmtMs(pOurs.initMs), fmtMs(pSdk.initMs), `SDK / ours = ${ratio(pSdk.initMs.median, pOurs.initMs.median)}`, `≥ 5× shorter: ${pSdk.initMs.median / pOurs.initMs.median >= BUDGET.providerInit ? 'met' : 'MISSED'}`])
  rows.push(['↳ first `get` after it (ours: the emulator; SDK: the local SSM stub)', fmtMs(pOurs.firstMs), fmtMs(pSdk.firstMs), `SDK / ours = ${ratio(pSdk.firstMs.median, pOurs.firstMs.median)}`, ''])
  rows.push(['↳ RSS after the first read', mib(pOurs.rssMiB), mib(pSdk.rssMiB), `SDK / ours = ${ratio(pSdk.rssMiB.median, pOurs.rssMiB.median)}`, ''])

  // --- package size -----------------------------------------------------------------------
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: pkgDir, encoding: 'utf8' }))[0]
  const mb = (b) => `${(b / 1024 / 1024).toFixed(2)} MiB`
  console.log(`package: tarball ${mb(packed.size)}, unpacked ${mb(packed.unpackedSize)} (${packed.entryCount} files)`)
  rows.push(['npm package (`npm pack`): tarball / unpacked', `${mb(packed.size)} / ${mb(packed.unpackedSize)}`, '', '', `≤ 4 MB: ${packed.size <= BUDGET.packageBytes ? 'met' : 'MISSED'} (tarball)`])
  fig.packed = packed
  notes.push(`${packed.entryCount} files; the native module is \`paramsecrets.linux-x64-gnu.node\` (stripped).`)
} finally {
  emu.stop()
  stub.stop()
}

const cmd = quick ? 'make -C bench/node bench-quick' : 'make -C bench/node bench'
const load = loadavg().map((x) => x.toFixed(2)).join(', ')
const md = `# Node.js benchmark results

Command: \`${cmd}\` (runs \`node bench/node/bench.mjs${quick ? ' --quick' : ''}\` after building the package and the emulator).
Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average at the end ${load} (other builds shared the machine: compare ratios more than absolute figures).
Figures are medians over rounds, with (min–max) across rounds; every baseline ran in the same process and run.
Hit loops: ${CFG.rounds} rounds × ${CFG.hitIters} awaited calls (Powertools: ×${CFG.hitIters / 4}); miss loops: ${CFG.missRounds} rounds × ${CFG.missIters} requests to the emulator (debug build, its own cache on); cold start: ${CFG.coldRuns} fresh \`node\` processes each, time measured inside the process from before \`import\` to after the client is built.

| measurement | paramsecrets | baseline | ratio | budget (DESIGN §8) |
|---|---|---|---|---|
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}

Baselines: \`Map.get\` on a one-entry Map; Powertools \`SSMProvider.get(name, { maxAge: 3600 })\` from
\`@aws-lambda-powertools/parameters\` 2.35.0, its first fetch served by a local stub of the SSM API
(\`@aws-sdk/client-ssm\` with \`endpoint\` on 127.0.0.1 and dummy credentials), every timed call a cache hit;
\`fetch\` is Node's built-in undici client (keep-alive) doing the same GET the extension answers, plus \`json()\`.
Powertools provider rows: \`paramsecrets/powertools\`' ExtensionSSMProvider (its cache is the client's, the memo answering) next to Powertools'
SSMProvider (its own Map cache) in the same process; INIT rows in fresh processes with the Lambda environment set (the extension's port and
token for ours; dummy credentials, region and an \`endpoint\` on the local SSM stub for the SDK's), the first \`get\` timed in the same process.
${notes.join('\n')}
`
writeFileSync(join(here, 'RESULTS.md'), md)
console.log(`\nwrote ${join('bench', 'node', 'RESULTS.md')}`)

// summary.json (schema 1, bench/README.md): medians, ns / µs / ms as the keys say.
const r2 = (x) => Math.round(x * 100) / 100
const budget = (limit, value, met) => ({ limit, value: r2(value), met })
const { hit, mapGet, mapAwait, pt, ptOurs, ptOursDefault, ptDefault, pOurs, pSdk, miss, get, cold, coldSdk, packed } = fig
const summaryJson = {
  schema: 1,
  language: 'node',
  mode: quick ? 'quick' : 'full',
  command: cmd,
  l1_hit_ns: r2(hit.median),
  l1_hit_baseline_ns: r2(mapGet.median),
  l1_hit_baseline: 'Map.get (sync)',
  l1_hit_await_map_ns: r2(mapAwait.median),
  powertools_hit_ns: r2(pt.median),
  powertools_provider_hit_ns: r2(ptOurs.median),
  powertools_provider_default_hit_ns: r2(ptOursDefault.median),
  powertools_default_hit_ns: r2(ptDefault.median),
  powertools_provider_init_ms: r2(pOurs.initMs.median),
  powertools_sdk_init_ms: r2(pSdk.initMs.median),
  powertools_provider_first_read_ms: r2(pOurs.firstMs.median),
  powertools_sdk_first_read_ms: r2(pSdk.firstMs.median),
  powertools_provider_rss_mib: r2(pOurs.rssMiB.median),
  powertools_sdk_rss_mib: r2(pSdk.rssMiB.median),
  l1_miss_us: r2(miss.median / 1000),
  http_get_us: r2(get.median / 1000),
  http_get: 'keep-alive fetch (undici) GET + json()',
  cold_start_ms: r2(cold.inProcess.median),
  cold_start_what: 'fresh process: import paramsecrets + new Client()',
  cold_start_baseline_ms: r2(coldSdk.inProcess.median),
  cold_start_baseline: "import '@aws-sdk/client-ssm' + new SSMClient()",
  artifact_bytes: packed.size,
  artifact: packed.filename,
  artifact_unpacked_bytes: packed.unpackedSize,
  budgets: {
    l1_hit_ns: budget(BUDGET.hitNs, hit.median, hit.median <= BUDGET.hitNs),
    l1_hit_vs_powertools: budget(BUDGET.vsPowertools, pt.median / hit.median, pt.median / hit.median >= BUDGET.vsPowertools),
    powertools_provider_hit_vs_powertools: budget(BUDGET.vsPowertools, pt.median / ptOurs.median, pt.median / ptOurs.median >= BUDGET.vsPowertools),
    powertools_provider_init_vs_sdk: budget(BUDGET.providerInit, pSdk.initMs.median / pOurs.initMs.median, pSdk.initMs.median / pOurs.initMs.median >= BUDGET.providerInit),
    l1_hit_vs_http_get: budget(BUDGET.vsGet, get.median / hit.median, get.median / hit.median >= BUDGET.vsGet),
    l1_miss_vs_http_get: budget(1.0, miss.median / get.median, miss.median <= get.median),
    cold_start_ms: budget(BUDGET.coldMs, cold.inProcess.median, cold.inProcess.median <= BUDGET.coldMs),
    artifact_bytes: budget(BUDGET.packageBytes, packed.size, packed.size <= BUDGET.packageBytes)
  }
}
writeFileSync(join(here, 'summary.json'), JSON.stringify(summaryJson, null, 2) + '\n')
console.log(`wrote ${join('bench', 'node', 'summary.json')}`)
