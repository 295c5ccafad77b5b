// Every scenario of conformance/scenarios.json, against the real emulator, in the dialect each
// scenario names (format: conformance/README.md). One emulator per group of scenarios that
// share dialect, store, arguments and environment, started right before the group.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client, ParamSecretsError } from '../lib/index.mjs'
import { startEmulator, closedPort, repoDir } from './helpers/emulator.mjs'

const dir = join(repoDir, 'conformance')
const spec = JSON.parse(readFileSync(join(dir, 'scenarios.json'), 'utf8'))
const TOKEN = 'conformance-token'

const groups = new Map()
for (const s of spec.scenarios) {
  const key = JSON.stringify([s.dialect, s.store, s.emulator_args ?? [], s.emulator_env ?? {}])
  if (!groups.has(key)) groups.set(key, [])
  groups.get(key).push(s)
}

test('the scenario file is not empty and names are unique', () => {
  assert.ok(spec.scenarios.length > 0)
  assert.equal(new Set(spec.scenarios.map((s) => s.name)).size, spec.scenarios.length)
  assert.deepEqual(new Set(spec.scenarios.map((s) => s.dialect)), new Set(['extension', 'agent']))
})

async function clientFor (s, emu) {
  const c = s.client ?? {}
  const opts = { token: c.token ?? TOKEN }
  opts.endpoint = c.endpoint === 'closed' ? `http://127.0.0.1:${await closedPort()}` : emu.url
  if (c.timeout_ms !== undefined) opts.timeoutMs = c.timeout_ms
  if (c.ready_timeout_ms !== undefined) opts.readyTimeoutMs = c.ready_timeout_ms
  if (c.deadline_ms !== undefined) opts.deadlineMs = c.deadline_ms
  if (c.server !== undefined) opts.server = c.server
  return new Client(opts)
}

const ms = (d) => (d == null ? null : d.getTime())

function fieldsOf (record, op) {
  if (op === 'get_parameter') {
    return {
      name: record.name,
      type: record.type,
      version: record.version,
      arn: record.arn,
      selector: record.selector,
      data_type: record.dataType,
      last_modified_ms: ms(record.lastModified)
    }
  }
  return {
    name: record.name,
    arn: record.arn,
    version_id: record.versionId,
    version_stages: record.versionStages,
    created_ms: ms(record.createdDate)
  }
}

/** Runs the request through the value API and the record API; returns both or the error. */
async function run (s, emu) {
  const r = s.request
  let client
  try {
    client = await clientFor(s, emu)
  } catch (error) {
    return { error }
  }
  try {
    if (r.op === 'get_parameter') {
      const o = {}
      if (r.decrypt !== undefined) o.decrypt = r.decrypt
      if (r.version !== undefined) o.version = r.version
      if (r.label !== undefined) o.label = r.label
      if (r.force_fetch !== undefined) o.forceFetch = r.force_fetch
      const value = await client.getParameter(r.name, o)
      const record = await client.getParameterRecord(r.name, o)
      return { value, record }
    }
    if (r.op === 'get_secret') {
      const o = {}
      if (r.version_id !== undefined) o.versionId = r.version_id
      if (r.version_stage !== undefined) o.versionStage = r.version_stage
      if (r.force_fetch !== undefined) o.forceFetch = r.force_fetch
      const value = await client.getSecret(r.secret_id, o)
      const record = await client.getSecretRecord(r.secret_id, o)
      return { value, record }
    }
    throw new Error(`unknown op ${r.op}`)
  } catch (error) {
    return { error }
  }
}

async function check (s, got, emu) {
  const want = s.expect
  if (want.error !== undefined) {
    assert.ok(got.error, `expected error ${want.error}, got value ${JSON.stringify(got.value)}`)
    assert.ok(got.error instanceof ParamSecretsError, `not a ParamSecretsError: ${got.error?.stack}`)
    assert.equal(got.error.code, want.error, got.error.message)
    if (want.status !== undefined) assert.equal(got.error.status, want.status)
    return
  }
  if (got.error) assert.fail(`unexpected ${got.error.name} (${got.error.code}): ${got.error.message}`)
  if (want.value !== undefined) {
    assert.equal(got.value, want.value)
    assert.equal(got.record.value, want.value)
  }
  if (want.binary_base64 !== undefined) {
    assert.ok(Buffer.isBuffer(got.value), 'a binary secret is a Buffer')
    assert.equal(got.value.toString('base64'), want.binary_base64)
    const recorded = s.request.op === 'get_parameter' ? got.record.value : got.record.secretBinary
    assert.equal(recorded.toString('base64'), want.binary_base64)
  }
  if (want.refresh_now_sent !== undefined) {
    const sent = (await emu.stats()).keys[`secret:${s.request.secret_id}`]?.refresh_now ?? 0
    assert.equal(sent > 0, want.refresh_now_sent, `refreshNow sent ${sent} times`)
  }
  if (want.fields !== undefined) {
    const have = fieldsOf(got.record, s.request.op)
    for (const [k, v] of Object.entries(want.fields)) {
      assert.ok(k in have, `unknown field ${k}`)
      assert.deepEqual(have[k], v, `field ${k}`)
    }
  }
}

for (const scenarios of groups.values()) {
  const first = scenarios[0]
  const label = `${first.dialect} ${first.store} ${JSON.stringify(first.emulator_args ?? [])} ${JSON.stringify(first.emulator_env ?? {})}`
  test(`conformance: ${label}`, async (t) => {
    const emu = await startEmulator({
      store: join(dir, spec.stores[first.store]),
      dialect: first.dialect,
      token: TOKEN,
      args: first.emulator_args ?? [],
      env: first.emulator_env ?? {}
    })
    try {
      for (const s of scenarios) {
        await t.test(s.name, async () => check(s, await run(s, emu), emu))
      }
    } finally {
      await emu.stop()
    }
  })
}
