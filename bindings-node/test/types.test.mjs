// types.rs / lib records: Parameter and Secret records, their redaction, stats, versions.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { inspect, format } from 'node:util'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { Client, Parameter, Secret, version } from '../lib/index.mjs'
import { startEmulator, TOKEN, packageDir, repoDir } from './helpers/emulator.mjs'
import { STORE } from './helpers/store.mjs'

let emu
before(async () => { emu = await startEmulator({ store: STORE }) })
after(async () => { await emu?.stop() })
const client = () => new Client({ endpoint: emu.url, token: TOKEN })

/** Every way a record can end up in a log line. */
function renderings (r) {
  return [
    String(r), `${r}`, r.toString(), JSON.stringify(r), JSON.stringify({ wrapped: r }),
    inspect(r), inspect(r, { showHidden: true, depth: 10, getters: true }), format('%o %O %s %j', r, r, r, r),
    inspect({ ...r }), Object.keys(r).join(), Object.values(r).map(String).join()
  ]
}

test('Parameter record: fields and types', async () => {
  const p = await client().getParameterRecord('/app/versioned', { version: 1 })
  assert.ok(p instanceof Parameter)
  assert.equal(p.name, '/app/versioned')
  assert.equal(p.value, 'v1')
  assert.equal(p.type, 'String')
  assert.equal(p.version, 1)
  assert.equal(p.selector, ':1')
  assert.equal(p.dataType, 'text')
  assert.equal(p.arn, 'arn:aws:ssm:us-east-1:123456789012:parameter/app/versioned')
  assert.ok(p.lastModified instanceof Date)
  assert.equal(p.lastModified.toISOString(), '2024-01-01T00:00:00.000Z')
  assert.equal(p.sourceResult, null)
  const latest = await client().getParameterRecord('/app/versioned')
  assert.equal(latest.selector, null)
  assert.equal(latest.version, 2)
})

test('Parameter record: the value is redacted in every rendering', async () => {
  const p = await client().getParameterRecord('/app/secure')
  assert.equal(p.value, 'hunter2-param')
  assert.equal(p.type, 'SecureString')
  for (const s of renderings(p)) assert.ok(!s.includes('hunter2'), s)
  assert.match(String(p), /\[REDACTED\]/)
  assert.match(inspect(p), /value: '\[REDACTED\]'/)
  assert.equal(JSON.parse(JSON.stringify(p)).value, '[REDACTED]')
  assert.equal(JSON.parse(JSON.stringify(p)).name, '/app/secure')
})

test('Secret record: string secret, fields, redaction', async () => {
  const s = await client().getSecretRecord('rotated', { versionStage: 'AWSPREVIOUS' })
  assert.ok(s instanceof Secret)
  assert.equal(s.name, 'rotated')
  assert.equal(s.value, 'old')
  assert.equal(s.secretString, 'old')
  assert.equal(s.secretBinary, null)
  assert.equal(s.versionId, '11111111-1111-1111-1111-111111111111')
  assert.deepEqual(s.versionStages, ['AWSPREVIOUS'])
  assert.ok(s.createdDate instanceof Date)
  assert.match(s.arn, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rotated-/)
  const db = await client().getSecretRecord('db')
  for (const r of renderings(db)) assert.ok(!r.includes('hunter2'), r)
  assert.match(inspect(db), /value: '\[REDACTED\]'/)
})

test('Secret record: binary secret', async () => {
  const s = await client().getSecretRecord('blob')
  assert.equal(s.secretString, null)
  assert.ok(Buffer.isBuffer(s.secretBinary))
  assert.deepEqual([...s.secretBinary], [0, 1, 2, 255])
  assert.equal(s.value, s.secretBinary)
  for (const r of renderings(s)) assert.ok(!r.includes('0, 1, 2, 255') && !r.includes('00 01 02 ff'), r)
})

test('records from the cache equal records from the wire', async () => {
  const c = client()
  const a = await c.getParameterRecord('/app/plain')
  const b = await c.getParameterRecord('/app/plain')
  assert.equal(c.stats().hits, 1)
  assert.notEqual(a, b)
  assert.deepEqual({ ...a, value: a.value }, { ...b, value: b.value })
  const s1 = await c.getSecretRecord('db')
  const s2 = await c.getSecretRecord('db')
  assert.equal(s1.value, s2.value)
  assert.deepEqual(s1.versionStages, s2.versionStages)
})

test('stats are plain numbers', () => {
  const s = client().stats()
  for (const v of Object.values(s)) assert.equal(typeof v, 'number')
})

test('package.json, the native module and the Cargo workspace share one version', () => {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
  const cargo = readFileSync(join(repoDir, 'Cargo.toml'), 'utf8')
  const section = cargo.split(/^\[/m).find((s) => s.startsWith('workspace.package]'))
  const cargoVersion = /^version\s*=\s*"([^"]+)"/m.exec(section)?.[1]
  assert.ok(cargoVersion, 'the workspace declares [workspace.package] version')
  assert.equal(pkg.version, cargoVersion)
  assert.equal(version, cargoVersion)
  assert.equal(createRequire(import.meta.url)('../native.js').version(), cargoVersion)
})
