// lib/memo.js: the JavaScript memo of core's answers (issue 15). Every cache rule holds with
// the memo answering repeated reads: invalidate, clear, eviction at capacity (LRU recency from
// memo hits), TTL, maxAge, forceFetch, exact stats, copies of mutable values, and no value
// after core dropped it. Against the real emulator (its own cache off, so a changed store
// shows at once).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { Client, Parameter } from '../lib/index.mjs'
import { startEmulator, writeStore, TOKEN } from './helpers/emulator.mjs'

const native = createRequire(import.meta.url)('../native.js')

const store = (v) => ({
  parameters: [
    { name: '/m/a', value: `a-${v}` },
    { name: '/m/b', value: `b-${v}` },
    { name: '/m/c', value: `c-${v}` },
    { name: '/m/conf.json', value: JSON.stringify({ v, list: [1, { deep: v }], z: 1, a: 2 }) },
    { name: '/m/cert.binary', value: Buffer.from(`cert-${v}`).toString('base64') }
  ],
  secrets: [
    { name: 'm-secret', string: `s-${v}` },
    { name: 'm-blob', binary_base64: Buffer.from(`bytes-${v}`).toString('base64') },
    { name: 'm-staged', binary_base64: Buffer.from(`staged-${v}`).toString('base64'), stages: ['AWSCURRENT', 'BLUE'] },
    { name: 'm-conf', string: JSON.stringify({ user: 'u', hosts: ['h1', 'h2'] }) }
  ]
})

let emu
let storeFile
before(async () => {
  storeFile = writeStore(store(1))
  emu = await startEmulator({ store: storeFile, env: { PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'FALSE' } })
})
after(async () => { await emu?.stop() })

const client = (opts = {}) => new Client({ endpoint: emu.url, token: TOKEN, ...opts })
const requests = (key) => emu.requestsFor(key)

/** Rewrites the store and waits until the emulator serves the new values. */
async function publish (v) {
  writeFileSync(storeFile, JSON.stringify(store(v)))
  emu.child.kill('SIGHUP')
  const url = `${emu.url}/systemsmanager/parameters/get?name=%2Fm%2Fa`
  for (let i = 0; i < 200; i++) {
    const r = await fetch(url, { headers: { 'X-Aws-Parameters-Secrets-Token': TOKEN } })
    if ((await r.json()).Parameter?.Value === `a-${v}`) return
    await sleep(10)
  }
  throw new Error('the emulator did not reload its store')
}

/** Counts calls of the native sync lookups while `fn` runs (they are what the memo saves). */
async function nativeLookups (fn) {
  const names = Object.getOwnPropertyNames(native.ClientRef.prototype).filter((n) => n.startsWith('cached'))
  const saved = names.map((n) => native.ClientRef.prototype[n])
  let calls = 0
  names.forEach((n, i) => {
    native.ClientRef.prototype[n] = function (...args) { calls++; return saved[i].apply(this, args) }
  })
  try {
    await fn()
  } finally {
    names.forEach((n, i) => { native.ClientRef.prototype[n] = saved[i] })
  }
  return calls
}

test('a repeated hit is answered without a native call, every read form', async () => {
  const c = client()
  const reads = [
    () => c.getParameter('/m/a'),
    () => c.getParameter('/m/a', { decrypt: false }),
    () => c.getParameter('/m/conf.json', { transform: 'json' }),
    () => c.getParameterRecord('/m/a'),
    () => c.getSecret('m-secret'),
    () => c.getSecret('m-blob', { versionStage: 'AWSCURRENT' }),
    () => c.getSecretRecord('m-blob')
  ]
  for (const r of reads) await r() // misses
  for (const r of reads) await r() // core hits, which fill the memo
  const calls = await nativeLookups(async () => {
    for (let i = 0; i < 20; i++) for (const r of reads) await r()
  })
  assert.equal(calls, 0)
  const s = c.stats()
  // Six cache entries: the parameter record shares `/m/a`'s entry with the value read.
  assert.equal(s.misses, 6)
  assert.equal(s.requests, 6)
  assert.equal(s.hits + s.misses, reads.length * 22, 'memo hits count as hits: the totals are exact')
})

test('invalidate: no read after it returns sees the old value, memo or not', async () => {
  const c = client()
  assert.equal(await c.getParameter('/m/a'), 'a-1')
  assert.equal(await c.getParameter('/m/a'), 'a-1') // fills the memo
  assert.equal(await c.getSecret('m-secret'), 's-1')
  assert.equal(await c.getSecret('m-secret'), 's-1')
  await publish(2)
  assert.equal(await c.getParameter('/m/a'), 'a-1', 'still cached')
  assert.equal(c.invalidateParameter('/m/a'), 1)
  assert.equal(await c.getParameter('/m/a'), 'a-2')
  assert.equal(await c.getSecret('m-secret'), 's-1', 'other entries stay in core')
  c.invalidateSecret('m-secret')
  assert.equal(await c.getSecret('m-secret'), 's-2')
  await publish(1)
})

test('invalidate during a burst of concurrent reads: nothing started after it is stale', async () => {
  const c = client()
  await c.getParameter('/m/b')
  await c.getParameter('/m/b')
  await publish(3)
  const before = Array.from({ length: 500 }, () => c.getParameter('/m/b'))
  c.invalidateParameter('/m/b')
  const afterwards = Array.from({ length: 500 }, () => c.getParameter('/m/b'))
  assert.ok((await Promise.all(before)).every((v) => v === 'b-1'))
  assert.ok((await Promise.all(afterwards)).every((v) => v === 'b-3'))
  await publish(1)
})

test('clearCache drops the memo too', async () => {
  const c = client()
  await c.getParameter('/m/a')
  await c.getParameter('/m/a')
  await publish(4)
  c.clearCache()
  assert.equal(await c.getParameter('/m/a'), 'a-4')
  await publish(1)
})

test('eviction at capacity: a key read only from the memo stays; the evicted one is not served', async () => {
  const c = client({ cacheSize: 2 })
  await c.getParameter('/m/a')
  await c.getParameter('/m/b')
  await c.getParameter('/m/a') // a core hit: `a` hot, `b` the cold end, the memo holds `a`
  await c.getParameter('/m/b') // a core hit: now `a` is the cold end as far as core's LRU knows
  const calls = await nativeLookups(async () => {
    for (let i = 0; i < 10; i++) await c.getParameter('/m/a') // memo hits touch `a`
  })
  assert.equal(calls, 0)
  const a0 = await requests('parameter:/m/a')
  const b0 = await requests('parameter:/m/b')
  await c.getParameter('/m/c') // evicts one: the memo's touches make it `b`
  assert.equal(c.stats().evictions, 1)
  await c.getParameter('/m/a')
  assert.equal(await requests('parameter:/m/a'), a0, 'the hot key was kept')
  await c.getParameter('/m/b')
  assert.equal(await requests('parameter:/m/b'), b0 + 1, 'the cold key was evicted, and not served from the memo')
})

test('an evicted value leaves the memo: after a refill it is the new one', async () => {
  const c = client({ cacheSize: 1 })
  await c.getParameter('/m/a')
  await c.getParameter('/m/a') // in the memo
  await c.getParameter('/m/b') // evicts `a`
  await publish(5)
  assert.equal(await c.getParameter('/m/a'), 'a-5')
  await publish(1)
})

test('TTL expiry with a short TTL: the memo stops answering when core would', async () => {
  // Short, but longer than the reads and the stats request of the fresh phase take emulated
  // (with 0.15 s they took longer under qemu, and the "fresh" read found the value expired).
  const c = client({ parameterTtl: 1 })
  await c.getParameter('/m/a')
  await c.getParameter('/m/a')
  const r0 = await requests('parameter:/m/a')
  await c.getParameter('/m/a')
  assert.equal(await requests('parameter:/m/a'), r0, 'fresh: answered from the cache')
  await sleep(1050)
  await c.getParameter('/m/a')
  assert.equal(await requests('parameter:/m/a'), r0 + 1, 'expired: fetched again')
})

test('maxAge per call: a memo hit only when the value is young enough', async () => {
  const c = client()
  await c.getParameter('/m/b', { maxAge: 60 })
  await c.getParameter('/m/b', { maxAge: 60 }) // in the memo
  await sleep(60)
  const r0 = await requests('parameter:/m/b')
  await c.getParameter('/m/b', { maxAge: 60 })
  assert.equal(await requests('parameter:/m/b'), r0)
  await c.getParameter('/m/b', { maxAge: 0.03 })
  assert.equal(await requests('parameter:/m/b'), r0 + 1, 'older than maxAge: fetched')
  await c.getParameter('/m/b', { maxAge: 0 })
  assert.equal(await requests('parameter:/m/b'), r0 + 2, 'maxAge 0: always fetched')
  await assert.rejects(c.getParameter('/m/b', { maxAge: -1 }), { code: 'invalid_argument' })
  await assert.rejects(c.getParameter('/m/b', { maxAge: Infinity }), { code: 'invalid_argument' })
})

test('forceFetch is never served from the memo, and refills it', async () => {
  const c = client()
  await c.getParameter('/m/c')
  await c.getParameter('/m/c')
  await publish(6)
  assert.equal(await c.getParameter('/m/c', { forceFetch: true }), 'c-6')
  assert.equal(await c.getParameter('/m/c'), 'c-6', 'the refill replaced what the memo held')
  await publish(1)
  assert.equal(await c.getParameter('/m/c', { forceFetch: true }), 'c-1')
})

test('a caller changing what it got does not change the next read', async () => {
  const c = client()
  for (let i = 0; i < 3; i++) {
    const conf = await c.getParameter('/m/conf.json', { transform: 'json' })
    assert.deepEqual(conf, { v: 1, list: [1, { deep: 1 }], z: 1, a: 2 })
    assert.deepEqual(Object.keys(conf), ['v', 'list', 'z', 'a'], 'key order as core gave it')
    conf.v = 'changed'
    conf.list[1].deep = 'changed'
    const blob = await c.getSecret('m-blob')
    assert.equal(blob.toString(), 'bytes-1')
    blob.fill(0)
    const rec = await c.getParameterRecord('/m/a')
    assert.ok(rec instanceof Parameter)
    assert.equal(rec.name, '/m/a')
    rec.name = 'changed'
    rec.lastModified?.setTime(0)
    const srec = await c.getSecretRecord('m-blob')
    assert.equal(srec.secretBinary.toString(), 'bytes-1')
    srec.secretBinary.fill(0)
  }
})

test('ttl 0 and cacheSize 0: nothing to memoize, every read goes to the extension', async () => {
  for (const opts of [{ ttl: 0 }, { cacheSize: 0 }]) {
    const c = client(opts)
    const r0 = await requests('parameter:/m/a')
    for (let i = 0; i < 3; i++) await c.getParameter('/m/a')
    assert.equal(await requests('parameter:/m/a'), r0 + 3, JSON.stringify(opts))
    assert.equal(c.stats().hits, 0)
  }
})

test('parameters and secrets of one name are separate memo entries', async () => {
  const em = await startEmulator({
    store: { parameters: [{ name: 'same', value: 'param' }], secrets: [{ name: 'same', string: 'secret' }] }
  })
  try {
    const c = new Client({ endpoint: em.url, token: TOKEN })
    for (let i = 0; i < 3; i++) {
      assert.equal(await c.getParameter('same'), 'param')
      assert.equal(await c.getSecret('same'), 'secret')
    }
  } finally {
    await em.stop()
  }
})

// Issue 23: every read path hands out what the caller may change as its own copy. Each test
// reads five times (a miss, the core hit that fills the memo, three memo hits, checked to make
// no native call), checks each answer and then changes it as a caller would: what the memo
// keeps must stay as core gave it.
async function mutateAndReread (read, check, mutate) {
  for (let i = 0; i < 2; i++) {
    const got = await read()
    check(got)
    mutate(got)
  }
  const calls = await nativeLookups(async () => {
    for (let i = 0; i < 3; i++) {
      const got = await read()
      check(got)
      mutate(got)
    }
  })
  assert.equal(calls, 0, 'the last three reads were memo hits')
}

const BLOB_REF = '/aws/reference/secretsmanager/m-blob'

test('copies: a string value, getParameter and getSecret (immutable, handed out as is)', async () => {
  const c = client()
  await mutateAndReread(() => c.getParameter('/m/a'), (v) => assert.equal(v, 'a-1'), () => {})
  await mutateAndReread(() => c.getSecret('m-secret'), (v) => assert.equal(v, 's-1'), () => {})
  await mutateAndReread(() => c.getParameter('/m/a', { decrypt: false }), (v) => assert.equal(v, 'a-1'), () => {})
})

test('copies: a JSON transform, parameter and secret, nested objects and arrays', async () => {
  const c = client()
  const conf = { v: 1, list: [1, { deep: 1 }], z: 1, a: 2 }
  const mutate = (v) => { v.v = 'changed'; v.list[1].deep = 'changed'; v.list.push(9); delete v.z }
  await mutateAndReread(() => c.getParameter('/m/conf.json', { transform: 'json' }), (v) => assert.deepEqual(v, conf), mutate)
  await mutateAndReread(() => c.getParameter('/m/conf.json', { transform: 'auto' }), (v) => assert.deepEqual(v, conf), mutate)
  await mutateAndReread(() => c.getSecret('m-conf', { transform: 'json' }), (v) => assert.deepEqual(v, { user: 'u', hosts: ['h1', 'h2'] }),
    (v) => { v.user = 'x'; v.hosts.length = 0 })
})

test('copies: a Buffer from getParameter without options (a binary secret by reference)', async () => {
  const c = client()
  await mutateAndReread(() => c.getParameter(BLOB_REF), (v) => {
    assert.ok(Buffer.isBuffer(v))
    assert.equal(v.toString(), 'bytes-1')
  }, (v) => v.fill(0))
})

test('copies: a Buffer from getParameter with options and from getSecret, with and without options', async () => {
  const c = client()
  const check = (v) => { assert.ok(Buffer.isBuffer(v)); assert.equal(v.toString(), 'bytes-1') }
  await mutateAndReread(() => c.getParameter(BLOB_REF, { decrypt: true }), check, (v) => v.fill(0))
  await mutateAndReread(() => c.getSecret('m-blob'), check, (v) => v.fill(0))
  await mutateAndReread(() => c.getSecret('m-blob', { versionStage: 'AWSCURRENT' }), check, (v) => v.fill(0))
  await mutateAndReread(() => c.getParameter('/m/cert.binary', { transform: 'auto' }), (v) => assert.equal(v.toString(), 'cert-1'), (v) => v.fill(0))
  await mutateAndReread(() => c.getParameter('/m/cert.binary', { transform: 'binary', label: undefined }), (v) => assert.equal(v.toString(), 'cert-1'), (v) => v.fill(0))
})

test('copies: a parameter record, string and Buffer value', async () => {
  const c = client()
  await mutateAndReread(() => c.getParameterRecord('/m/a'), (r) => {
    assert.equal(r.name, '/m/a')
    assert.equal(r.value, 'a-1')
    assert.ok(r.lastModified instanceof Date)
    assert.notEqual(r.lastModified.getTime(), 0)
  }, (r) => { r.name = 'changed'; r.version = -1; r.lastModified.setTime(0) })
  await mutateAndReread(() => c.getParameterRecord(BLOB_REF), (r) => {
    assert.equal(r.name, BLOB_REF)
    assert.ok(Buffer.isBuffer(r.value))
    assert.equal(r.value.toString(), 'bytes-1')
  }, (r) => { r.value.fill(0); r.name = 'changed' })
})

test('copies: a secret record, its bytes and its version stages', async () => {
  const c = client()
  await mutateAndReread(() => c.getSecretRecord('m-staged'), (r) => {
    assert.deepEqual(r.versionStages, ['AWSCURRENT', 'BLUE'])
    assert.equal(r.secretBinary.toString(), 'staged-1')
    assert.equal(r.value.toString(), 'staged-1')
    assert.ok(r.createdDate instanceof Date)
    assert.notEqual(r.createdDate.getTime(), 0)
  }, (r) => {
    r.versionStages.push('AWSPENDING')
    r.versionStages[0] = 'changed'
    r.secretBinary.fill(0)
    r.createdDate.setTime(0)
  })
  await mutateAndReread(() => c.getSecretRecord('m-secret', { versionStage: 'AWSCURRENT' }), (r) => {
    assert.deepEqual(r.versionStages, ['AWSCURRENT'])
    assert.equal(r.secretString, 's-1')
  }, (r) => { r.versionStages.length = 0 })
})

test('copies: batches (they do not read the memo) and the single reads between them hand out their own values', async () => {
  const c = client()
  for (let i = 0; i < 4; i++) {
    const ps = await c.getParameters(['/m/conf.json', BLOB_REF], { transform: 'auto' })
    assert.deepEqual(ps[0].value, { v: 1, list: [1, { deep: 1 }], z: 1, a: 2 })
    ps[0].value.list.length = 0
    const blob = await c.getParameter(BLOB_REF)
    assert.equal(blob.toString(), 'bytes-1')
    blob.fill(0)
    const ss = await c.getSecrets(['m-blob', 'm-staged'])
    assert.equal(ss[0].value.toString(), 'bytes-1')
    assert.equal(ss[1].value.toString(), 'staged-1')
    ss[0].value.fill(0)
    ss[1].value.fill(0)
    assert.equal((await c.getSecret('m-blob')).toString(), 'bytes-1')
  }
})
