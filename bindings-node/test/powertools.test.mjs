// paramsecrets/powertools against the real @aws-lambda-powertools/parameters 2.35.0 and the
// real emulator: Powertools' documented calls give the same values and error classes as
// Powertools' own SSMProvider / SecretsProvider (through the real AWS SDK, against a local stub
// serving the same store), and what the extension cannot do rejects with a typed error.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { BaseProvider } from '@aws-lambda-powertools/parameters/base'
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm'
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets'
import { GetParameterError, ParameterNotFoundError, TransformParameterError } from '@aws-lambda-powertools/parameters/errors'
import { SSMClient } from '@aws-sdk/client-ssm'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { Client, NotFoundOrDeniedError } from '../lib/index.mjs'
import * as pt from '../lib/powertools.mjs'
import { ExtensionSSMProvider, ExtensionSecretsProvider, ExtensionAppConfigProvider, ExtensionUnsupportedError } from '../lib/powertools.mjs'
import { startEmulator, TOKEN } from './helpers/emulator.mjs'
import { startSsmStub } from './helpers/ssm-stub.mjs'

const STORE = {
  parameters: [
    { name: '/pt/plain', value: 'hello' },
    { name: '/pt/secure', type: 'SecureString', value: 'hunter2-pt' },
    { name: '/pt/list', type: 'StringList', value: 'a,b,c' },
    { name: '/pt/config.json', value: '{"feature":true,"n":3}' },
    { name: '/pt/config', value: '{"feature":false}' },
    { name: '/pt/cert.binary', value: Buffer.from('certificate text').toString('base64') },
    { name: '/pt/not-json', value: 'x {not json' }
  ],
  secrets: [
    { name: 'pt-db', string: '{"username":"admin","password":"hunter2-db"}' },
    { name: 'pt-blob', binary_base64: Buffer.from('raw bytes').toString('base64') }
  ]
}

let emu
let stub
let ours
let theirs
let oursSecrets
let theirsSecrets
before(async () => {
  emu = await startEmulator({ store: STORE, env: { PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'FALSE' } })
  stub = await startSsmStub(STORE)
  ours = new ExtensionSSMProvider({ clientOptions: { endpoint: emu.url, token: TOKEN } })
  oursSecrets = new ExtensionSecretsProvider({ client: ours.paramsecrets })
  theirs = new SSMProvider({ awsSdkV3Client: new SSMClient(stub.clientConfig) })
  theirsSecrets = new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient(stub.clientConfig) })
})
after(async () => {
  await emu?.stop()
  await stub?.stop()
})

/** What a call gives: its value, or the class of its error (and of its cause). */
async function outcome (p) {
  try {
    const v = await p
    return { value: v instanceof Uint8Array ? { bytes: Buffer.from(v).toString('hex') } : v }
  } catch (e) {
    return { error: e.constructor.name, name: e.name }
  }
}

const SAME_CALLS = [
  ['get', (p) => p.get('/pt/plain')],
  ['get decrypt', (p) => p.get('/pt/secure', { decrypt: true })],
  ['get StringList', (p) => p.get('/pt/list')],
  ['transform json', (p) => p.get('/pt/config', { transform: 'json' })],
  ['transform auto (.json)', (p) => p.get('/pt/config.json', { transform: 'auto' })],
  ['transform auto (no suffix)', (p) => p.get('/pt/config', { transform: 'auto' })],
  ['transform binary', (p) => p.get('/pt/cert.binary', { transform: 'binary' })],
  ['transform auto (.binary)', (p) => p.get('/pt/cert.binary', { transform: 'auto' })],
  ['transform JSON (upper case)', (p) => p.get('/pt/config.json', { transform: 'JSON' })],
  ['transform error', (p) => p.get('/pt/not-json', { transform: 'json' })],
  ['maxAge', (p) => p.get('/pt/plain', { maxAge: 60 })],
  ['forceFetch', (p) => p.get('/pt/plain', { forceFetch: true })],
  ['sdkOptions WithDecryption', (p) => p.get('/pt/secure', { sdkOptions: { WithDecryption: true } })],
  ['missing', (p) => p.get('/pt/missing')],
  ['getParametersByName', (p) => p.getParametersByName({ '/pt/plain': {}, '/pt/config.json': { transform: 'json' }, '/pt/secure': { decrypt: true } })],
  ['getParametersByName shared transform', (p) => p.getParametersByName({ '/pt/config.json': {}, '/pt/cert.binary': {} }, { transform: 'auto' })],
  ['getParametersByName graceful', (p) => p.getParametersByName({ '/pt/plain': {}, '/pt/missing': {} }, { throwOnError: false })],
  ['getParametersByName throws', (p) => p.getParametersByName({ '/pt/plain': {}, '/pt/missing': {} })],
  ['getParametersByName _errors in graceful mode', (p) => p.getParametersByName({ _errors: {} }, { throwOnError: false })]
]

const SAME_SECRET_CALLS = [
  ['get', (p) => p.get('pt-db')],
  ['transform json', (p) => p.get('pt-db', { transform: 'json' })],
  ['binary secret', (p) => p.get('pt-blob')],
  ['maxAge + forceFetch', (p) => p.get('pt-db', { maxAge: 30, forceFetch: true })],
  ['missing', (p) => p.get('pt-missing')]
]

// Each call on Powertools' own provider and on ours: the same value, or the same error class.
// Only the calls named as failing may fail on Powertools' side (else a broken stub would pass).
const PAIRS = [
  ["SSM, same as Powertools' SSMProvider", SAME_CALLS, () => [theirs, ours]],
  ["Secrets, same as Powertools' SecretsProvider", SAME_SECRET_CALLS, () => [theirsSecrets, oursSecrets]]
]
for (const [what, calls, providers] of PAIRS) {
  for (const [label, call] of calls) {
    test(`${what}: ${label}`, async () => {
      const [powertools, extension] = providers()
      const want = await outcome(call(powertools))
      const got = await outcome(call(extension))
      assert.ok(want.error === undefined || /missing|error|throws|_errors/.test(label), `Powertools itself failed: ${want.error}`)
      assert.deepEqual(got, want)
    })
  }
}

test('a BaseProvider; errors keep our typed error as cause, and never the value', async () => {
  assert.ok(ours instanceof BaseProvider)
  assert.ok(oursSecrets instanceof BaseProvider)
  const e = await ours.get('/pt/missing').catch((err) => err)
  assert.ok(e instanceof GetParameterError)
  assert.ok(e.cause instanceof NotFoundOrDeniedError)
  const t = await ours.get('/pt/not-json', { transform: 'json' }).catch((err) => err)
  assert.ok(t instanceof TransformParameterError)
  assert.match(t.message, /^Unable to transform value using 'json' transform: /)
  for (const err of [e, t]) assert.doesNotMatch(`${err.message} ${err.stack}`, /hunter2|not json/)
})

test('caching: maxAge (default 5 s) is the client cache\'s per-read maxAge; forceFetch and maxAge 0 fetch', async () => {
  const p = new ExtensionSSMProvider({ clientOptions: { endpoint: emu.url, token: TOKEN } })
  const key = 'parameter:/pt/config'
  const r0 = await emu.requestsFor(key)
  assert.equal(p.defaultMaxAge, 5)
  for (let i = 0; i < 5; i++) await p.get('/pt/config')
  for (let i = 0; i < 3; i++) await p.get('/pt/config', { transform: 'json' })
  assert.equal(await emu.requestsFor(key), r0 + 1, 'one request, every transform served from it')
  await p.get('/pt/config', { forceFetch: true })
  assert.equal(await emu.requestsFor(key), r0 + 2)
  await p.get('/pt/config', { maxAge: 0 })
  await p.get('/pt/config', { maxAge: 0 })
  assert.equal(await emu.requestsFor(key), r0 + 4)
  await new Promise((resolve) => setTimeout(resolve, 120))
  await p.get('/pt/config', { maxAge: 0.1 })
  assert.equal(await emu.requestsFor(key), r0 + 5, 'older than maxAge: fetched again')
  p.clearCache()
  await p.get('/pt/config')
  assert.equal(await emu.requestsFor(key), r0 + 6, 'clearCache empties the client cache')
  const fromEnv = new ExtensionSSMProvider({ clientOptions: { endpoint: emu.url, token: TOKEN, env: { POWERTOOLS_PARAMETERS_MAX_AGE: '30', POWERTOOLS_PARAMETERS_SSM_DECRYPT: 'true' } } })
  assert.equal(fromEnv.defaultMaxAge, 30)
  assert.equal(await fromEnv.get('/pt/secure'), 'hunter2-pt', 'POWERTOOLS_PARAMETERS_SSM_DECRYPT')
})

test('what the extension cannot do rejects with ExtensionUnsupportedError naming the provider to keep', async () => {
  const e = await ours.getMultiple('/pt').catch((err) => err)
  assert.ok(e instanceof ExtensionUnsupportedError)
  assert.ok(!(e instanceof GetParameterError), 'not a retrieval failure a fallback would swallow')
  assert.match(e.message, /GetParametersByPath/)
  assert.match(e.useInstead, /SSMProvider from '@aws-lambda-powertools\/parameters\/ssm'/)
  await assert.rejects(pt.getParameters('/pt'), ExtensionUnsupportedError)
  await assert.rejects(oursSecrets.getMultiple('x'), ExtensionUnsupportedError)
  await assert.rejects(ours.set('/pt/plain', { value: 'x' }), ExtensionUnsupportedError)
  await assert.rejects(ours.get('/pt/plain', { sdkOptions: { Foo: 1 } }), ExtensionUnsupportedError)
  assert.throws(() => new ExtensionAppConfigProvider(), (err) => err instanceof ExtensionUnsupportedError && /AppConfigProvider/.test(err.useInstead))
  assert.throws(() => new ExtensionSSMProvider({ awsSdkV3Client: new SSMClient(stub.clientConfig) }), ExtensionUnsupportedError)
})

test('throwOnMissing: a definite not-found (Agent dialect) is ParameterNotFoundError', async () => {
  const agent = await startEmulator({ store: STORE, dialect: 'agent' })
  try {
    const p = new ExtensionSecretsProvider({ client: new Client({ endpoint: agent.url, token: TOKEN }) })
    await assert.rejects(p.get('pt-missing', { throwOnMissing: true }), ParameterNotFoundError)
    const plain = await p.get('pt-missing').catch((err) => err)
    assert.equal(plain.constructor, GetParameterError)
  } finally {
    await agent.stop()
  }
})

test('the function forms use one default provider built from the Lambda environment', async () => {
  const saved = { ...process.env }
  process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = String(emu.port)
  process.env.AWS_SESSION_TOKEN = TOKEN
  try {
    assert.equal(await pt.getParameter('/pt/plain'), 'hello')
    assert.deepEqual(await pt.getParameter('/pt/config.json', { transform: 'json' }), { feature: true, n: 3 })
    assert.deepEqual(await pt.getSecret('pt-db', { transform: 'json' }), { username: 'admin', password: 'hunter2-db' })
    assert.deepEqual(await pt.getParametersByName({ '/pt/plain': {} }), { '/pt/plain': 'hello' })
  } finally {
    process.env = saved
  }
})

test('require() gets providers over Powertools\' CommonJS build, import over its ESM build', async () => {
  const require = createRequire(import.meta.url)
  const cjs = require('../lib/powertools.js')
  const cjsErrors = require('@aws-lambda-powertools/parameters/errors')
  assert.ok(new cjs.ExtensionSSMProvider({ client: ours.paramsecrets }) instanceof require('@aws-lambda-powertools/parameters/base').BaseProvider)
  const e = await new cjs.ExtensionSSMProvider({ client: ours.paramsecrets }).get('/pt/missing').catch((err) => err)
  assert.ok(e instanceof cjsErrors.GetParameterError)
  assert.equal(pt.GetParameterError, GetParameterError)
  assert.equal(cjs.ExtensionUnsupportedError, pt.ExtensionUnsupportedError, 'one class either way')
})
