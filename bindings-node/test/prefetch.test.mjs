// client.prefetch: background reads for module scope (INIT), joined by the first read; its
// failures are that read's typed errors. Against the real emulator, inside its not-ready window.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Client, InvalidArgumentError, NotFoundOrDeniedError } from '../lib/index.mjs'
import { startEmulator, TOKEN } from './helpers/emulator.mjs'

const STORE = { parameters: [{ name: '/pf/a', value: 'a' }], secrets: [{ name: 'pf-s', string: 's' }] }

test('prefetch returns at once during INIT; the first read afterwards is served by it', async () => {
  const emu = await startEmulator({ store: STORE, args: ['--not-ready-for', '300'] })
  try {
    const c = new Client({ endpoint: emu.url, token: TOKEN })
    const t0 = performance.now()
    assert.equal(c.prefetch({ parameters: ['/pf/a'], secrets: ['pf-s'] }), undefined)
    assert.ok(performance.now() - t0 < 50, 'prefetch does not wait for the extension')
    assert.equal(await c.getParameter('/pf/a'), 'a')
    assert.equal(await c.getSecret('pf-s'), 's')
    assert.equal(await emu.requestsFor('parameter:/pf/a'), 1, 'one request served for the name')
    assert.equal(await emu.requestsFor('secret:pf-s'), 1)
  } finally {
    await emu.stop()
  }
})

test('a prefetch that fails is the first read\'s typed error; bad names throw at once', async () => {
  const emu = await startEmulator({ store: STORE })
  try {
    const c = new Client({ endpoint: emu.url, token: TOKEN })
    c.prefetch({ parameters: ['/pf/missing'] })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await assert.rejects(c.getParameter('/pf/missing'), NotFoundOrDeniedError)
    assert.throws(() => c.prefetch({ parameters: [''] }), InvalidArgumentError)
    assert.throws(() => c.prefetch({ parameters: '/pf/a' }), TypeError)
    assert.throws(() => c.prefetch({ names: ['/pf/a'] }), TypeError)
  } finally {
    await emu.stop()
  }
})
