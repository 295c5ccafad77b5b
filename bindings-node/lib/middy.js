'use strict'
// `paramsecrets/middy`: a middy middleware in the shape of `@middy/ssm` 7.x (`fetchData`,
// `setToContext`, `cacheExpiry`, `disablePrefetch`, `cacheKey`) that reads through a
// paramsecrets Client (the Parameters and Secrets Lambda Extension) instead of the AWS SDK.
//
// Built at module scope (the function's INIT phase), it starts `client.prefetch` for every
// name, unless `disablePrefetch` or `cacheExpiry: 0`: the extension serves nothing during INIT,
// and the first invocation's reads join those requests. Values are parsed as `@middy/ssm`
// parses them (a StringList → an array, else JSON when it looks like JSON, else the string),
// land in `request.internal` (as promises, like `@middy/ssm`) and, with `setToContext`, on
// `request.context` (keys sanitized the same way). The cache is the client's: `cacheExpiry`
// (ms; -1 = for the life of the process, 0 = read every invocation) is each read's `maxAge`.
// No runtime dependency on middy: a middleware is an object with `before`.

const { Client } = require('./index.js')
const { ExtensionUnsupportedError } = require('./unsupported.js')

const KEEP = '@middy/ssm'

const OPTIONS = new Set(['fetchData', 'disablePrefetch', 'cacheKey', 'cacheExpiry', 'setToContext', 'client', 'clientOptions'])
const AWS_ONLY = new Set(['AwsClient', 'awsClientOptions', 'awsClientAssumeRole', 'awsClientCapture', 'awsRequestLimit', 'cacheKeyExpiry'])
const FOREVER_SECONDS = 1e9 // the longest maxAge a read takes

// @middy/util 7.9.2's sanitizeKey and jsonSafeParse, so keys and values come out the same.
const sanitizeKey = (key) => key.replace(/^([0-9])/, '_$1').replace(/[^a-zA-Z0-9]+/g, '_')
const jsonSafeParse = (text) => {
  if (typeof text !== 'string') return text
  const c = text[0]
  if (c !== '{' && c !== '[' && c !== '"') return text
  try { return JSON.parse(text) } catch { return text }
}

function checkOptions (opts) {
  if (opts === null || typeof opts !== 'object') throw new TypeError('paramsecrets/middy: options must be an object')
  for (const k of Object.keys(opts)) {
    if (AWS_ONLY.has(k)) throw new ExtensionUnsupportedError(`option ${k}`, KEEP)
    if (!OPTIONS.has(k)) throw new TypeError(`paramsecrets/middy: unknown option ${JSON.stringify(k)} (expected one of ${[...OPTIONS].join(', ')})`)
  }
  const fd = opts.fetchData ?? {}
  if (fd === null || typeof fd !== 'object') throw new TypeError('paramsecrets/middy: fetchData must be an object of strings')
  for (const [k, v] of Object.entries(fd)) {
    if (typeof v !== 'string') throw new TypeError(`paramsecrets/middy: fetchData.${k} must be a string`)
    if (v.endsWith('/')) throw new ExtensionUnsupportedError(`fetchData.${k} = ${JSON.stringify(v)}, a path (GetParametersByPath)`, KEEP)
  }
  const e = opts.cacheExpiry ?? -1
  if (!Number.isInteger(e) || e < -1) throw new TypeError('paramsecrets/middy: cacheExpiry must be an integer >= -1 (milliseconds; -1 forever, 0 never)')
  return { fetchData: fd, cacheExpiry: e }
}

/**
 * @param {{ fetchData?: Record<string, string>, setToContext?: boolean, cacheExpiry?: number,
 *   disablePrefetch?: boolean, cacheKey?: string, client?: Client, clientOptions?: object }} [opts]
 */
function paramsecretsSsm (opts = {}) {
  const { fetchData, cacheExpiry } = checkOptions(opts)
  const client = opts.client ?? new Client(opts.clientOptions)
  const entries = Object.entries(fetchData).map(([key, name]) => [key, name, sanitizeKey(key)])
  const readOptions = Object.freeze({ maxAge: cacheExpiry < 0 ? FOREVER_SECONDS : cacheExpiry / 1000 })
  if (opts.disablePrefetch !== true && cacheExpiry !== 0 && entries.length > 0) {
    client.prefetch({ parameters: entries.map((e) => e[1]) })
  }

  // As @middy/ssm parses: a StringList is an array (the record's type says which), else JSON-looking text is parsed.
  const readOne = (name) => client.getParameterRecord(name, readOptions).then((r) =>
    r.type === 'StringList' ? r.value.split(',') : (typeof r.value === 'string' ? jsonSafeParse(r.value) : r.value))

  const before = async (request) => {
    const values = {}
    for (const [key, name] of entries) {
      const p = readOne(name)
      p.catch(() => {}) // read by whoever awaits it (getInternal, or setToContext below)
      values[key] = p
    }
    Object.assign(request.internal, values)
    if (opts.setToContext === true) {
      const got = await Promise.all(entries.map(([key]) => values[key]))
      entries.forEach(([, , ctxKey], i) => { request.context[ctxKey] = got[i] })
    }
  }
  return { before }
}

module.exports = { paramsecretsSsm, default: paramsecretsSsm, ExtensionUnsupportedError, sanitizeKey }
