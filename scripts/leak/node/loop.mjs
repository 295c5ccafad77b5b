// The leak check's Node loop (scripts/leak/run.sh runs it under valgrind memcheck, with
// --expose-gc so that dropped clients are really collected and their native side finalised).
//
// Every round builds clients and drops them again (the package has no close(): the garbage
// collector finalising the client is the close), and goes through every path that crosses the
// FFI: misses and hits (the memo over core's shared memory included), records, transforms,
// versions and labels, forceFetch, invalidate, clearCache, batches with a failing name,
// prefetch, typed errors (not found, bad argument, bad token, nothing listening, 503), and many
// reads in flight at once. Every value is checked against scripts/leak/store.json; a wrong value
// or an error other than the provoked ones exits 1. The last line is `counts {...}`.
//
//   node --expose-gc loop.mjs [--rounds N]   (the emulator: $PARAMSECRETS_EMULATOR, else target/debug)

import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import net from 'node:net'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..', '..')
const require = createRequire(import.meta.url)
const ps = require(join(repo, 'bindings-node'))
const native = require(join(repo, 'bindings-node', 'lib', 'binding.js')) // the same module instance
const TOKEN = 'leak-check-token'
// Under valgrind on a loaded machine one request can take seconds: generous time limits, so
// that only the errors the loop provokes happen (the leak check is not about latency).
const SLOW = { timeoutMs: 30_000, deadlineMs: 60_000 }
const counts = {}
const count = (op, n = 1) => { counts[op] = (counts[op] ?? 0) + n }

function fail (msg) {
  console.error(`FAIL ${msg}`)
  process.exit(1)
}

function expect (op, got, want) {
  // No value in a log line, even a test value: only the types.
  if (!isDeepStrictEqual(got, want)) fail(`${op}: wrong value (${typeof got}, expected ${typeof want})`)
  count(op)
}

async function expectError (op, code, call) {
  try {
    await call()
  } catch (e) {
    if (!(e instanceof ps.ParamSecretsError) || e.code !== code) fail(`${op}: ${e?.name} code ${e?.code}, expected ${code}`)
    count(op)
    return
  }
  fail(`${op}: no error`)
}

async function startEmulator () {
  const bin = process.env.PARAMSECRETS_EMULATOR || join(repo, 'target', 'debug', 'paramsecrets-emulator')
  const child = spawn(bin, ['--store', join(here, '..', 'store.json'), '--port', '0', '--token', TOKEN], { stdio: ['ignore', 'pipe', 'ignore'] })
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)))
  })
  const m = /^listening on (127\.0\.0\.1:\d+)/.exec(line)
  if (!m) fail(`the emulator did not start: ${JSON.stringify(line)}`)
  return { child, endpoint: `http://${m[1]}` }
}

async function closedPort () {
  const srv = net.createServer()
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address()
  await new Promise((resolve) => srv.close(resolve))
  return port
}

const blob = Buffer.from('leak-blob-bytes')

async function round (endpoint, downPort) {
  const c = new ps.Client({ endpoint, token: TOKEN, ttl: 300, readyTimeoutMs: 200, ...SLOW })
  expect('miss', await c.getParameter('/leak/plain'), 'plain-value')
  expect('hit', await c.getParameter('/leak/plain'), 'plain-value')
  expect('hit', await c.getParameter('/leak/plain'), 'plain-value') // the memo's answer
  expect('miss', await c.getParameter('/leak/secure'), 'leak-secure-value')
  expect('max_age', await c.getParameter('/leak/plain', { maxAge: 0 }), 'plain-value')
  expect('force_fetch', await c.getParameter('/leak/plain', { forceFetch: true }), 'plain-value')
  const rec = await c.getParameterRecord('/leak/list')
  expect('record', [rec.value, rec.type, rec.version], ['a,b,c', 'StringList', 1])
  String(rec)
  expect('transform', await c.getParameter('/leak/config.json', { transform: 'json' }), { n: 7, tags: ['x', 'y'] })
  expect('transform', await c.getParameter('/leak/blob.binary', { transform: 'binary' }), Buffer.from([0, 1, 255]))
  expect('version', await c.getParameter('/leak/versioned', { version: 1 }), 'v1')
  expect('label', await c.getParameter('/leak/versioned', { label: 'Prod' }), 'v2')
  expect('secret', (await c.getSecret('leak/db', { transform: 'json' })).password, 'leak-db-password')
  expect('secret', await c.getSecret('leak/blob'), blob)
  expect('secret', await c.getSecret('leak/blob'), blob) // a hit of a Buffer value
  const srec = await c.getSecretRecord('leak/other')
  expect('record', [srec.secretString, srec.secretBinary], ['other-secret', null])
  expect('invalidate', c.invalidateParameter('/leak/plain'), 1)
  expect('invalidate', c.invalidateSecret('leak/db'), 1)
  expect('miss', await c.getParameter('/leak/plain'), 'plain-value')
  c.clearCache()
  count('clear_cache')
  expect('miss', await c.getParameter('/leak/plain'), 'plain-value')
  const names = [0, 1, 2, 3].map((i) => `/leak/batch/${i}`)
  const got = await c.getParameters([...names, '/leak/missing'])
  expect('batch', got.slice(0, 4).map((r) => r.value), names.map((_, i) => `batch-${i}`))
  expect('batch_error', got[4].error?.code, 'not_found_or_denied')
  const secrets = await c.getSecrets(['leak/other', 'leak/blob'])
  expect('batch', secrets.map((r) => r.value), ['other-secret', blob])
  c.prefetch({ parameters: ['/leak/secure', '/leak/list'], secrets: ['leak/other'] })
  count('prefetch')
  expect('after_prefetch', await c.getSecret('leak/other'), 'other-secret')
  // Many reads in flight at once: single-flight misses, hits and the memo side by side.
  c.clearCache()
  const many = await Promise.all([...names, ...names].map((n) => c.getParameter(n)))
  expect('concurrent', many, [...names, ...names].map((n) => `batch-${n.at(-1)}`))
  await expectError('error_not_found', 'not_found_or_denied', () => c.getParameter('/leak/missing'))
  await expectError('error_not_found', 'not_found_or_denied', () => c.getSecret('leak/missing'))
  await expectError('error_invalid_argument', 'invalid_argument', () => c.getParameter(''))
  await expectError('error_upstream', 'upstream', () => c.getParameter('/leak/busy', { forceFetch: true }))
  const stats = c.stats()
  if (stats.hits < 1 || stats.misses < 1 || stats.errors < 1) fail(`stats: ${JSON.stringify(stats)}`)
  count('stats')
  const bad = new ps.Client({ endpoint, token: 'wrong-token', ...SLOW })
  await expectError('error_unauthorized', 'unauthorized', () => bad.getParameter('/leak/plain'))
  const down = new ps.Client({ endpoint: `http://127.0.0.1:${downPort}`, token: TOKEN, readyTimeoutMs: 50, ...SLOW })
  await expectError('error_unavailable', 'unavailable', () => down.getParameter('/leak/plain'))
  // A read still in flight when its client is dropped: the native side must outlive it safely.
  const orphan = new ps.Client({ endpoint, token: TOKEN, ...SLOW })
  const pending = orphan.getParameter('/leak/secure')
  count('close', 4)
  expect('orphan_read', await pending, 'leak-secure-value')
}

// The memo's two views over core's shared memory (the native handle's `memoViews()`, which the
// public Client keeps private) must keep that memory alive after the handle is collected.
async function memoViewsOutliveTheirClient (endpoint) {
  let ref = new native.ClientRef({ endpoint, token: TOKEN, ...SLOW })
  expect('memo_miss', await ref.getParameter('/leak/plain'), 'plain-value')
  const views = ref.memoViews()
  if (views === null) fail('memoViews: null')
  ref = null
  globalThis.gc()
  await new Promise((resolve) => setImmediate(resolve))
  globalThis.gc()
  const generation = new Float64Array(views[0])[1]
  const touched = new Uint8Array(views[1]).reduce((a, b) => a + b, 0)
  if (!Number.isFinite(generation) || !Number.isFinite(touched)) fail('memo views: garbage')
  new Uint8Array(views[1])[0] = 1 // JS writes touch flags
  count('memo_views_after_close')
}

const roundsArg = process.argv.indexOf('--rounds')
const rounds = Number(roundsArg > 0 ? process.argv[roundsArg + 1] : (process.env.LEAK_ROUNDS ?? 20))
if (typeof globalThis.gc !== 'function') fail('run with --expose-gc')
const { child, endpoint } = await startEmulator()
try {
  const downPort = await closedPort()
  for (let i = 0; i < rounds; i++) {
    await round(endpoint, downPort)
    await memoViewsOutliveTheirClient(endpoint)
    // Collect the dropped clients now (twice: finalisers run between the passes).
    globalThis.gc()
    await new Promise((resolve) => setImmediate(resolve))
    globalThis.gc()
    count('rounds')
  }
} finally {
  child.kill('SIGTERM')
}
console.log('counts ' + JSON.stringify(Object.fromEntries(Object.entries(counts).sort())))
