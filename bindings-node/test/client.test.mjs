// client.rs / lib Client: reads, the cache, batches, cache control, input checks, and the
// event loop, against the real emulator.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { Client, InvalidArgumentError, NotFoundOrDeniedError, ParamSecretsError } from '../lib/index.mjs'
import { startEmulator, TOKEN } from './helpers/emulator.mjs'
import { STORE } from './helpers/store.mjs'

let emu
before(async () => { emu = await startEmulator({ store: STORE }) })
after(async () => { await emu?.stop() })

const client = (opts = {}) => new Client({ endpoint: emu.url, token: TOKEN, ...opts })

test('reads a parameter, then answers from the cache without a request', async () => {
  const c = client()
  assert.equal(await c.getParameter('/app/plain'), 'hello')
  const before = await emu.requestsFor('parameter:/app/plain')
  for (let i = 0; i < 50; i++) assert.equal(await c.getParameter('/app/plain'), 'hello')
  assert.equal(await emu.requestsFor('parameter:/app/plain'), before)
  const s = c.stats()
  assert.equal(s.hits, 50)
  assert.equal(s.misses, 1)
})

test('a cache hit returns an already-settled promise', async () => {
  const c = client()
  await c.getParameter('/app/plain')
  // A settled promise runs its reaction before any I/O or timer: the value is there at once.
  let seen
  c.getParameter('/app/plain').then((v) => { seen = v })
  await null
  assert.equal(seen, 'hello')
})

test('every read returns a Promise, including failures of argument checks', async () => {
  const c = client()
  const p = c.getParameter(42)
  assert.ok(p instanceof Promise)
  await assert.rejects(p, TypeError)
  assert.ok(c.getSecret('db') instanceof Promise)
  assert.ok(c.getParameterRecord('/app/plain') instanceof Promise)
  assert.ok(c.getSecretRecord('db') instanceof Promise)
  assert.ok(c.getParameters(['/app/plain']) instanceof Promise)
  assert.ok(c.getSecrets(['db']) instanceof Promise)
})

test('secrets: string and binary values, version selectors', async () => {
  const c = client()
  assert.equal(await c.getSecret('rotated'), 'new')
  assert.equal(await c.getSecret('rotated', { versionStage: 'AWSPREVIOUS' }), 'old')
  assert.equal(await c.getSecret('rotated', { versionId: '11111111-1111-1111-1111-111111111111' }), 'old')
  const bin = await c.getSecret('blob')
  assert.ok(Buffer.isBuffer(bin))
  assert.deepEqual([...bin], [0, 1, 2, 255])
})

test('parameter versions and labels are separate cache entries', async () => {
  const c = client()
  assert.equal(await c.getParameter('/app/versioned'), 'v2')
  assert.equal(await c.getParameter('/app/versioned', { version: 1 }), 'v1')
  assert.equal(await c.getParameter('/app/versioned', { label: 'old' }), 'v1')
  assert.equal(await c.getParameter('/app/versioned', { label: 'Prod' }), 'v2')
  await assert.rejects(c.getParameter('/app/versioned', { version: 1, label: 'old' }), InvalidArgumentError)
})

test('decrypt defaults to true and can be turned off', async () => {
  const c = client()
  assert.equal(await c.getParameter('/app/secure'), 'hunter2-param')
  // Without decryption the extension hands back the ciphertext.
  const raw = await c.getParameter('/app/secure', { decrypt: false })
  assert.equal(typeof raw, 'string')
  assert.notEqual(raw, 'hunter2-param')
  // Two entries: one per decrypt flag.
  assert.equal(c.stats().misses, 2)
})

test('forceFetch skips the cache and refills it; maxAge bounds the age of a hit', async () => {
  const c = client()
  await c.getParameter('/app/list')
  const n0 = await emu.requestsFor('parameter:/app/list')
  assert.equal(await c.getParameter('/app/list', { forceFetch: true }), 'a,b,c')
  assert.equal(await emu.requestsFor('parameter:/app/list'), n0 + 1)
  assert.equal(await c.getParameter('/app/list', { maxAge: 60 }), 'a,b,c')
  assert.equal(await emu.requestsFor('parameter:/app/list'), n0 + 1)
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(await c.getParameter('/app/list', { maxAge: 0.01 }), 'a,b,c')
  assert.equal(await emu.requestsFor('parameter:/app/list'), n0 + 2)
})

test('invalidateParameter / invalidateSecret / clearCache drop entries; stats count', async () => {
  const c = client()
  await c.getParameter('/app/versioned')
  await c.getParameter('/app/versioned', { version: 1 })
  await c.getSecret('db')
  assert.equal(c.invalidateParameter('/app/versioned'), 2)
  assert.equal(c.invalidateParameter('/app/versioned'), 0)
  assert.equal(c.invalidateSecret('db'), 1)
  await c.getSecret('db')
  c.clearCache()
  await c.getSecret('db')
  const s = c.stats()
  assert.deepEqual(Object.keys(s).sort(), ['coalesced', 'errors', 'evictions', 'hits', 'misses', 'requests', 'retries', 'staleServed'])
  assert.equal(s.misses, 5)
  assert.equal(s.hits, 0)
  assert.equal(s.requests, 5)
  assert.throws(() => c.invalidateParameter(1), TypeError)
})

test('ttl: 0 turns the cache off', async () => {
  const c = client({ ttl: 0 })
  await c.getParameter('/app/plain')
  await c.getParameter('/app/plain')
  assert.equal(c.stats().hits, 0)
  assert.equal(c.stats().requests, 2)
})

test('getParameters / getSecrets: one result per name, in order, errors per item', async () => {
  const c = client()
  const items = await c.getParameters(['/app/plain', '/app/missing', '', '/app/list'])
  assert.deepEqual(items.map((i) => i.name), ['/app/plain', '/app/missing', '', '/app/list'])
  assert.deepEqual(items[0], { name: '/app/plain', value: 'hello' })
  assert.ok(items[1].error instanceof NotFoundOrDeniedError)
  assert.equal(items[1].value, undefined)
  assert.ok(items[2].error instanceof InvalidArgumentError)
  assert.equal(items[3].value, 'a,b,c')
  const secrets = await c.getSecrets(['db', 'blob', 'nope'], { transform: 'json', forceFetch: true })
  assert.deepEqual(secrets[0].value, { username: 'admin', password: 'hunter2-secret' })
  assert.equal(secrets[1].error.code, 'protocol')
  assert.equal(secrets[2].error.code, 'not_found_or_denied')
  assert.deepEqual(await c.getParameters([]), [])
})

test('a batch reads through the cache and fans out', async () => {
  const c = client()
  const names = Array.from({ length: 20 }, (_, i) => `/app/batch-missing-${i}`)
  const items = await c.getParameters(['/app/plain', ...names])
  assert.equal(items.length, 21)
  assert.ok(items.slice(1).every((i) => i.error?.code === 'not_found_or_denied'))
  const again = await c.getParameters(['/app/plain'])
  assert.equal(again[0].value, 'hello')
  assert.equal(c.stats().hits, 1)
})

test('the event loop keeps running while a request waits on a slow server', async () => {
  const c = client({ timeoutMs: 5000 })
  const ticks = []
  const timer = setInterval(() => { ticks.push(performance.now()) }, 10)
  const started = performance.now()
  let ended
  try {
    assert.equal(await c.getParameter('/app/slow'), 'slow-value')
    ended = performance.now()
  } finally {
    clearInterval(timer)
  }
  const elapsed = ended - started
  assert.ok(elapsed >= 550, `the emulator delays 600 ms, took ${elapsed} ms`)
  // A loop the call blocks runs no timer callback until the call returns: one gap as long as
  // the wait. A free loop ticks all along: every ~10 ms natively, less often when the process
  // gets little CPU (4 ticks in 900 ms were seen emulated at load 15), so what is checked is
  // not how many ticks but that the loop never stood still for half the wait.
  const marks = [started, ...ticks, ended]
  const longest = Math.max(...marks.slice(1).map((t, i) => t - marks[i]))
  assert.ok(longest < elapsed / 2, `the loop stood still for ${longest.toFixed(0)} ms of ${elapsed.toFixed(0)} ms (${ticks.length} ticks)`)
})

test('1000 concurrent first reads of one key send exactly one request', async () => {
  await emu.reset()
  const c = client()
  const values = await Promise.all(Array.from({ length: 1000 }, () => c.getParameter('/app/cold')))
  assert.ok(values.every((v) => v === 'cold-value'))
  assert.equal(await emu.requestsFor('parameter:/app/cold'), 1)
  const s = c.stats()
  assert.equal(s.requests, 1)
  // Every read was either the one miss that flew, a miss that joined it, or a hit once it landed.
  assert.equal(s.hits + s.misses, 1000)
})

test('1000 concurrent reads of one slow key all join the one request in flight', async () => {
  await emu.reset()
  const c = client({ timeoutMs: 5000 })
  const values = await Promise.all(Array.from({ length: 1000 }, () => c.getParameter('/app/cold-slow')))
  assert.ok(values.every((v) => v === 'cold-slow-value'))
  assert.equal(await emu.requestsFor('parameter:/app/cold-slow'), 1)
  const s = c.stats()
  assert.equal(s.requests, 1)
  assert.equal(s.misses, 1000)
  assert.equal(s.coalesced, 999)
})

test('bad input is refused before any request', async () => {
  await emu.reset()
  const c = client()
  for (const bad of [42, null, undefined, {}, ['/app/plain'], Symbol('x'), 1n]) {
    await assert.rejects(c.getParameter(bad), TypeError, String(typeof bad))
    await assert.rejects(c.getSecret(bad), TypeError)
    await assert.rejects(c.getParameterRecord(bad), TypeError)
    await assert.rejects(c.getSecretRecord(bad), TypeError)
  }
  const tooLong = '/' + 'x'.repeat(4096)
  for (const bad of ['', tooLong, '/a\nb', '/a\u0000b', '/a\u007fb', '/a\tb']) {
    const e1 = await c.getParameter(bad).catch((e) => e)
    assert.ok(e1 instanceof InvalidArgumentError, `${JSON.stringify(bad.slice(0, 10))}: ${e1}`)
    assert.equal(e1.code, 'invalid_argument')
    assert.ok(e1 instanceof ParamSecretsError)
    const e2 = await c.getSecret(bad).catch((e) => e)
    assert.ok(e2 instanceof InvalidArgumentError, String(e2))
  }
  await assert.rejects(c.getParameter('/app/plain', { bogus: true }), /unknown option "bogus"/)
  await assert.rejects(c.getParameter('/app/plain', { versionId: 'x' }), TypeError)
  await assert.rejects(c.getSecret('db', { version: 1 }), TypeError)
  await assert.rejects(c.getParameterRecord('/app/plain', { transform: 'json' }), TypeError)
  await assert.rejects(c.getParameter('/app/plain', { decrypt: 'yes' }), TypeError)
  await assert.rejects(c.getParameter('/app/plain', { version: 1.5 }), TypeError)
  await assert.rejects(c.getParameter('/app/plain', { version: -1 }), InvalidArgumentError)
  await assert.rejects(c.getParameter('/app/plain', { maxAge: -1 }), InvalidArgumentError)
  await assert.rejects(c.getParameter('/app/plain', { maxAge: NaN }), TypeError)
  await assert.rejects(c.getParameter('/app/plain', { transform: 'yaml' }), TypeError)
  await assert.rejects(c.getParameter('/app/plain', { label: '' }), InvalidArgumentError)
  await assert.rejects(c.getParameter('/app/plain', 'json'), TypeError)
  await assert.rejects(c.getParameter('/app/plain', null), TypeError)
  await assert.rejects(c.getSecret('db', { versionStage: 'AWS\u0007CURRENT' }), InvalidArgumentError)
  await assert.rejects(c.getParameters('/app/plain'), TypeError)
  await assert.rejects(c.getParameters(['/app/plain', 7]), TypeError)
  await assert.rejects(c.getSecrets(['db'], { decrypt: true }), TypeError)
  assert.throws(() => client({ nope: 1 }), TypeError)
  assert.throws(() => client({ port: '2773' }), TypeError)
  assert.throws(() => new Client('http://127.0.0.1:2773'), TypeError)
  const stats = await emu.stats()
  assert.equal(stats.requests, 0, JSON.stringify(stats))
  assert.equal(c.stats().requests, 0)
})

test('client options: port, endpoint checks, explicit token beats the environment', async () => {
  assert.equal(new Client({ port: emu.port, token: TOKEN }).endpoint, emu.url)
  assert.equal(new Client({ token: 't', env: { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '9999' } }).endpoint, 'http://127.0.0.1:9999')
  assert.throws(() => new Client({ endpoint: 'http://10.0.0.1:2773', token: 't' }), InvalidArgumentError)
  assert.equal(new Client({ endpoint: 'http://10.0.0.1:2773', token: 't', allowNonLoopback: true }).endpoint, 'http://10.0.0.1:2773')
  assert.throws(() => new Client({ port: 0, token: 't' }), InvalidArgumentError)
  assert.throws(() => new Client({ port: 70000, token: 't' }), InvalidArgumentError)
  assert.throws(() => new Client({ timeoutMs: 0, token: 't' }), InvalidArgumentError)
  assert.throws(() => new Client({ ttl: -5, token: 't' }), InvalidArgumentError)
  const c = new Client({ endpoint: emu.url, token: TOKEN, env: { PARAMSECRETS_TOKEN: 'wrong' } })
  assert.equal(await c.getParameter('/app/plain'), 'hello')
  const fromEnv = new Client({ endpoint: emu.url, env: { AWS_SESSION_TOKEN: TOKEN } })
  assert.equal(await fromEnv.getParameter('/app/plain'), 'hello')
})

test('a client shows its endpoint, never its token', () => {
  const c = new Client({ endpoint: emu.url, token: 'sup3r-s3cret-token' })
  const shown = [String(c), JSON.stringify(c), inspect(c), inspect(c, { showHidden: true, depth: 9 }), Object.keys(c).join()]
  for (const s of shown) assert.ok(!s.includes('sup3r-s3cret-token'), s)
  assert.equal(inspect(c), `Client { endpoint: '${emu.url}' }`)
})
