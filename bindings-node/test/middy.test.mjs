// paramsecrets/middy with the real @middy/core 7.9.2 and the real emulator, next to the real
// @middy/ssm 7.9.2 (through the AWS SDK, against a local stub serving the same store): the same
// context and internal values, prefetch at INIT joined by the first invocation, cacheExpiry.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import middy from '@middy/core'
import ssm from '@middy/ssm'
import { SSMClient } from '@aws-sdk/client-ssm'
import { Client } from '../lib/index.mjs'
import { paramsecretsSsm, ExtensionUnsupportedError } from '../lib/middy.mjs'
import { startEmulator, TOKEN } from './helpers/emulator.mjs'
import { startSsmStub } from './helpers/ssm-stub.mjs'

const STORE = {
  parameters: [
    { name: '/mw/url', value: 'https://example.invalid/api' },
    { name: '/mw/secure', type: 'SecureString', value: 'hunter2-mw' },
    { name: '/mw/list', type: 'StringList', value: 'a,b,c' },
    { name: '/mw/conf', value: '{"feature":true}' },
    { name: '/mw/quoted', value: '"text"' },
    { name: '/mw/broken', value: '{not json' },
    { name: '/mw/number', value: '42' }
  ]
}
const FETCH = { url: '/mw/url', secure: '/mw/secure', list: '/mw/list', conf: '/mw/conf', quoted: '/mw/quoted', broken: '/mw/broken', '1-number': '/mw/number' }

let emu
let stub
before(async () => {
  emu = await startEmulator({ store: STORE, env: { PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'FALSE' } })
  stub = await startSsmStub(STORE)
})
after(async () => {
  await emu?.stop()
  await stub?.stop()
})

const lambdaContext = () => ({ getRemainingTimeInMillis: () => 10_000, functionName: 'test' })
const client = () => new Client({ endpoint: emu.url, token: TOKEN })

/** Runs one invocation through `middleware` and returns what the handler saw. */
async function invoke (middleware, event = {}) {
  let seen
  const handler = middy(async (ev, context) => {
    const { getRemainingTimeInMillis, functionName, ...values } = context
    seen = values
  }).use(middleware)
  await handler(event, lambdaContext())
  return seen
}

test('setToContext: the same values as @middy/ssm (StringList, JSON, keys sanitized)', async () => {
  const theirs = await invoke(ssm({ fetchData: FETCH, setToContext: true, AwsClient: SSMClient, awsClientOptions: stub.clientConfig, disablePrefetch: true, cacheKey: 'mw-1' }))
  const ours = await invoke(paramsecretsSsm({ fetchData: FETCH, setToContext: true, client: client() }))
  assert.deepEqual(theirs.list, ['a', 'b', 'c'])
  assert.deepEqual(theirs.conf, { feature: true })
  assert.equal(theirs._1_number, '42')
  assert.deepEqual(ours, theirs)
})

test('without setToContext the values are in request.internal, as with @middy/ssm', async () => {
  let internal
  const handler = middy(async () => {}).use(paramsecretsSsm({ fetchData: { url: '/mw/url', list: '/mw/list' }, client: client() }))
    .before(async (request) => { internal = { url: await request.internal.url, list: await request.internal.list } })
  await handler({}, lambdaContext())
  assert.deepEqual(internal, { url: 'https://example.invalid/api', list: ['a', 'b', 'c'] })
})

test('prefetch at INIT: built while the extension is not ready, the first invocation joins it', async () => {
  const init = await startEmulator({ store: STORE, args: ['--not-ready-for', '300'] })
  try {
    const t0 = performance.now()
    const mw = paramsecretsSsm({ fetchData: { url: '/mw/url', conf: '/mw/conf' }, setToContext: true, client: new Client({ endpoint: init.url, token: TOKEN }) })
    assert.ok(performance.now() - t0 < 50, 'building it does not wait for the extension')
    const seen = await invoke(mw)
    assert.deepEqual(seen, { url: 'https://example.invalid/api', conf: { feature: true } })
    assert.equal(await init.requestsFor('parameter:/mw/url'), 1)
    assert.equal(await init.requestsFor('parameter:/mw/conf'), 1)
  } finally {
    await init.stop()
  }
})

test('disablePrefetch: nothing is read before the first invocation', async () => {
  const r0 = await emu.requestsFor('parameter:/mw/number')
  const mw = paramsecretsSsm({ fetchData: { n: '/mw/number' }, setToContext: true, disablePrefetch: true, client: client() })
  await new Promise((resolve) => setTimeout(resolve, 150))
  assert.equal(await emu.requestsFor('parameter:/mw/number'), r0)
  assert.deepEqual(await invoke(mw), { n: '42' })
  assert.equal(await emu.requestsFor('parameter:/mw/number'), r0 + 1)
})

test('cacheExpiry: -1 reads once, 0 every invocation, N ms when older than N', async () => {
  const key = 'parameter:/mw/quoted'
  const count = () => emu.requestsFor(key)
  let r = await count()
  const forever = paramsecretsSsm({ fetchData: { q: '/mw/quoted' }, setToContext: true, client: client() })
  for (let i = 0; i < 3; i++) assert.deepEqual(await invoke(forever), { q: 'text' })
  assert.equal(await count(), r + 1)
  r = await count()
  const never = paramsecretsSsm({ fetchData: { q: '/mw/quoted' }, setToContext: true, cacheExpiry: 0, client: client() })
  for (let i = 0; i < 3; i++) await invoke(never)
  assert.equal(await count(), r + 3, 'cacheExpiry 0: no prefetch, a read per invocation')
  r = await count()
  const short = paramsecretsSsm({ fetchData: { q: '/mw/quoted' }, setToContext: true, cacheExpiry: 100, client: client() })
  await invoke(short)
  await invoke(short)
  await new Promise((resolve) => setTimeout(resolve, 150))
  await invoke(short)
  assert.equal(await count(), r + 2)
})

test('a failed read fails the invocation with our typed error; paths and AWS client options throw at once', async () => {
  const mw = paramsecretsSsm({ fetchData: { gone: '/mw/missing' }, setToContext: true, client: client() })
  await assert.rejects(invoke(mw), { code: 'not_found_or_denied' })
  assert.throws(() => paramsecretsSsm({ fetchData: { all: '/mw/' }, client: client() }),
    (e) => e instanceof ExtensionUnsupportedError && /GetParametersByPath/.test(e.message) && e.useInstead === '@middy/ssm')
  assert.throws(() => paramsecretsSsm({ AwsClient: SSMClient, client: client() }), ExtensionUnsupportedError)
  assert.throws(() => paramsecretsSsm({ fetchdata: {} }), TypeError)
  assert.throws(() => paramsecretsSsm({ cacheExpiry: 1.5, client: client() }), TypeError)
})
