// transform.rs: json / binary / auto on parameters and secrets (core's transform module).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Client, ProtocolError } from '../lib/index.mjs'
import { startEmulator, TOKEN } from './helpers/emulator.mjs'
import { STORE } from './helpers/store.mjs'

let emu
before(async () => { emu = await startEmulator({ store: STORE }) })
after(async () => { await emu?.stop() })
const client = () => new Client({ endpoint: emu.url, token: TOKEN })

test('json parses the value, on a miss and on a hit', async () => {
  const c = client()
  const want = { feature: true, n: 3 }
  assert.deepEqual(await c.getParameter('/app/config.json', { transform: 'json' }), want)
  assert.deepEqual(await c.getParameter('/app/config.json', { transform: 'json' }), want)
  assert.equal(c.stats().hits, 1)
  // The same cache entry serves the raw string.
  assert.equal(await c.getParameter('/app/config.json'), '{"feature":true,"n":3}')
  assert.deepEqual(await c.getSecret('db', { transform: 'json' }), { username: 'admin', password: 'hunter2-secret' })
  assert.equal(await c.getParameter('/app/null.json', { transform: 'json' }), null)
  assert.equal(await c.getParameter('/app/null.json', { transform: 'json' }), null)
})

test('binary base64-decodes into a Buffer', async () => {
  const c = client()
  for (let i = 0; i < 2; i++) {
    const b = await c.getParameter('/app/cert.binary', { transform: 'binary' })
    assert.ok(Buffer.isBuffer(b))
    assert.deepEqual([...b], [0, 1, 2, 255])
  }
  const s = await c.getSecret('b64-string', { transform: 'binary' })
  assert.deepEqual([...s], [0, 1, 2, 255])
  // A binary secret already is bytes.
  assert.deepEqual([...await c.getSecret('blob', { transform: 'binary' })], [0, 1, 2, 255])
})

test('auto picks by the name suffix', async () => {
  const c = client()
  assert.deepEqual(await c.getParameter('/app/config.json', { transform: 'auto' }), { feature: true, n: 3 })
  assert.deepEqual([...await c.getParameter('/app/cert.binary', { transform: 'auto' })], [0, 1, 2, 255])
  assert.equal(await c.getParameter('/app/plain', { transform: 'auto' }), 'hello')
  assert.equal(await c.getSecret('rotated', { transform: 'auto' }), 'new')
})

test('json of a binary secret reads its bytes as UTF-8 JSON', async () => {
  assert.deepEqual(await client().getSecret('blob-json', { transform: 'json' }), { k: 'v' })
  await assert.rejects(client().getSecret('blob', { transform: 'json' }), ProtocolError)
})

test('a value a transform cannot read is a protocol error that does not quote it', async () => {
  const c = client()
  for (const t of ['json', 'binary']) {
    const e = await c.getParameter('/app/not-json', { transform: t }).catch((err) => err)
    assert.ok(e instanceof ProtocolError, String(e))
    assert.ok(!e.message.includes('hunter2'), e.message)
    assert.ok(e.message.includes('/app/not-json'))
  }
  // The value itself stays readable and cached.
  assert.equal(await c.getParameter('/app/not-json'), 'hunter2 {not json')
})

test('batches apply the transform per item', async () => {
  const items = await client().getParameters(['/app/config.json', '/app/not-json', '/app/plain'], { transform: 'json' })
  assert.deepEqual(items[0].value, { feature: true, n: 3 })
  assert.equal(items[1].error.code, 'protocol')
  assert.equal(items[2].error.code, 'protocol')
  const auto = await client().getParameters(['/app/config.json', '/app/plain'], { transform: 'auto' })
  assert.deepEqual(auto.map((i) => i.value), [{ feature: true, n: 3 }, 'hello'])
})
