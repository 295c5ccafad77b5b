// error.rs / lib errors: one class per DESIGN §5 code, `code` / `status` / `awsType` / `cause`,
// each code produced for real (emulator, closed port, panic hook) and checked on the JS side.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import * as ps from '../lib/index.mjs'
import { startEmulator, closedPort, TOKEN } from './helpers/emulator.mjs'
import { STORE } from './helpers/store.mjs'

const { Client, ParamSecretsError, errorClasses } = ps
const native = createRequire(import.meta.url)('../native.js')

const CLASS_NAMES = {
  invalid_argument: 'InvalidArgumentError',
  missing_token: 'MissingTokenError',
  unauthorized: 'UnauthorizedError',
  not_found: 'NotFoundError',
  not_found_or_denied: 'NotFoundOrDeniedError',
  access_denied: 'AccessDeniedError',
  not_ready: 'NotReadyError',
  unavailable: 'UnavailableError',
  throttled: 'ThrottledError',
  timeout: 'TimeoutError',
  upstream: 'UpstreamError',
  protocol: 'ProtocolError',
  internal: 'InternalError'
}

let ext, agent, notReady
before(async () => {
  [ext, agent, notReady] = await Promise.all([
    startEmulator({ store: STORE }),
    startEmulator({ store: STORE, dialect: 'agent' }),
    startEmulator({ store: STORE, args: ['--not-ready-for', '60000'] })
  ])
})
after(async () => { await Promise.all([ext?.stop(), agent?.stop(), notReady?.stop()]) })

test('one exported class per core error code, and no other', () => {
  assert.deepEqual(Object.keys(errorClasses).sort(), native.errorCodes().slice().sort())
  assert.deepEqual(Object.keys(CLASS_NAMES).sort(), native.errorCodes().slice().sort())
  for (const [code, name] of Object.entries(CLASS_NAMES)) {
    const cls = ps[name]
    assert.equal(typeof cls, 'function', name)
    assert.equal(errorClasses[code], cls)
    assert.equal(cls.name, name)
    const e = new cls('m', { status: 500 })
    assert.ok(e instanceof ParamSecretsError && e instanceof Error)
    assert.equal(e.code, code)
    assert.equal(e.name, name)
    assert.equal(e.status, 500)
    assert.equal(e.awsType, null)
  }
})

async function failure (fn) {
  try {
    await fn()
  } catch (e) {
    return e
  }
  assert.fail('expected a failure')
}

/** Each code, produced the way a user would meet it. */
const cases = {
  invalid_argument: () => new Client({ endpoint: ext.url, token: TOKEN }).getParameter(''),
  missing_token: () => new Client({ endpoint: ext.url, env: {} }),
  unauthorized: () => new Client({ endpoint: ext.url, token: 'wrong' }).getParameter('/app/plain'),
  not_found: () => new Client({ endpoint: agent.url, token: TOKEN }).getSecret('nope'),
  not_found_or_denied: () => new Client({ endpoint: ext.url, token: TOKEN }).getParameter('/app/missing'),
  access_denied: () => new Client({ endpoint: agent.url, token: TOKEN }).getSecret('denied'),
  not_ready: () => new Client({ endpoint: notReady.url, token: TOKEN, readyTimeoutMs: 200 }).getParameter('/app/plain'),
  unavailable: async () => new Client({ port: await closedPort(), token: TOKEN, readyTimeoutMs: 100 }).getParameter('/app/plain'),
  throttled: () => new Client({ endpoint: ext.url, token: TOKEN }).getParameter('/app/rate-limited'),
  timeout: () => new Client({ endpoint: ext.url, token: TOKEN, timeoutMs: 50, deadlineMs: 80 }).getParameter('/app/slow'),
  upstream: () => new Client({ endpoint: ext.url, token: TOKEN }).getParameter('/app/busy'),
  protocol: () => new Client({ endpoint: ext.url, token: TOKEN }).getParameter('/app/garbage'),
  internal: () => native.__panicForTests(true).catch((e) => { throw errorClassFor(e) })
}

// The panic hook is native-only; map its error the way the public layer does.
function errorClassFor (e) {
  const cls = errorClasses[e.code]
  return new cls(e.message, { status: e.status, awsType: e.awsType, attempts: e.attempts, cause: e.cause })
}

for (const [code, make] of Object.entries(cases)) {
  test(`err.code === '${code}' with its own class`, async () => {
    const e = await failure(make)
    assert.equal(e.code, code, `${e.name}: ${e.message}`)
    assert.ok(e instanceof ps[CLASS_NAMES[code]], e.name)
    assert.ok(e instanceof ParamSecretsError)
    assert.equal(e.name, CLASS_NAMES[code])
    assert.equal(typeof e.message, 'string')
    assert.ok(e.message.length > 0)
    assert.ok(typeof e.stack === 'string')
  })
}

test('status and awsType travel with the error', async () => {
  let e = await failure(cases.unauthorized)
  assert.equal(e.status, 401)
  e = await failure(() => new Client({ endpoint: agent.url, token: 'wrong' }).getSecret('db'))
  assert.equal(e.code, 'unauthorized')
  assert.equal(e.status, 403)
  e = await failure(cases.access_denied)
  assert.equal(e.status, 400)
  assert.equal(e.awsType, 'AccessDeniedException')
  e = await failure(cases.not_found)
  assert.equal(e.awsType, 'ResourceNotFoundException')
  e = await failure(cases.upstream)
  assert.equal(e.status, 503)
  assert.equal(e.attempts, 3, 'one attempt and two retries')
  e = await failure(cases.throttled)
  assert.equal(e.status, 429)
  e = await failure(cases.invalid_argument)
  assert.equal(e.status, null)
  assert.equal(e.attempts, 0)
})

test('the cause chain is kept where there is one', async () => {
  const e = await failure(cases.unavailable)
  assert.ok(e.cause instanceof Error, 'unavailable has a cause')
  let depth = 0
  const messages = []
  for (let c = e.cause; c instanceof Error; c = c.cause) {
    messages.push(c.message)
    depth++
  }
  assert.ok(depth >= 1)
  assert.match(messages.join(' | '), /refused|connect/i)
  const plain = await failure(cases.not_found_or_denied)
  assert.equal(plain.cause, undefined)
})

test('synchronous failures (the constructor) throw the mapped class', () => {
  assert.throws(() => new Client({ endpoint: 'ftp://127.0.0.1:1', token: 't' }), ps.InvalidArgumentError)
  assert.throws(() => new Client({ token: 'file:///nonexistent/paramsecrets-node' }), (e) => {
    assert.ok(e instanceof ps.MissingTokenError)
    assert.match(e.message, /nonexistent/)
    return true
  })
  const e = (() => { try { new Client({ env: {} }) } catch (err) { return err } })()
  for (const v of ['PARAMSECRETS_TOKEN', 'AWS_TOKEN', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN']) {
    assert.ok(e.message.includes(v), `the message names ${v}`)
  }
})

test('a panic in the native module becomes an internal error, sync or async, and Node carries on', async () => {
  assert.throws(() => native.__panicForTests(false), (e) => e.code === 'internal')
  await assert.rejects(native.__panicForTests(true), (e) => e.code === 'internal')
  const c = new Client({ endpoint: ext.url, token: TOKEN })
  assert.equal(await c.getParameter('/app/plain'), 'hello')
})

test('error messages never carry the token or a value', async () => {
  const token = 'n0t-the-t0ken-xyz'
  const e = await failure(() => new Client({ endpoint: ext.url, token }).getParameter('/app/plain'))
  const everything = JSON.stringify({ m: e.message, s: e.stack, c: String(e.cause) })
  assert.ok(!everything.includes(token))
  const t = await failure(() => new Client({ endpoint: ext.url, token: TOKEN }).getParameter('/app/not-json', { transform: 'json' }))
  assert.equal(t.code, 'protocol')
  assert.ok(!t.message.includes('hunter2'), t.message)
  assert.ok(t.message.includes('/app/not-json'), t.message)
})
