// The lifecycle probe: what a function does with paramsecrets at INIT, chosen by PROBE_MODE
// (bare, client, init_read, prefetch: see handlers/python/probe.py). Never a value: lengths only.
import { performance } from 'node:perf_hooks'

const T0 = performance.now()
const MODE = process.env.PROBE_MODE
const PARAMETER = process.env.PROBE_PARAMETER ?? '/lifecycle/config'
const SECRET = process.env.PROBE_SECRET ?? 'lifecycle/creds'
let client = null
let initRead = null

if (MODE !== 'bare') {
  // Imported only here, so `bare` pays nothing for the package.
  const { Client } = await import('paramsecrets')
  client = new Client()
  if (MODE === 'init_read') {
    const t0 = performance.now()
    try {
      await client.getParameter(PARAMETER)
      initRead = { code: null }
    } catch (err) {
      initRead = { code: err.code ?? String(err) }
    }
    initRead.ms = Math.round((performance.now() - t0) * 100) / 100
  } else if (MODE === 'prefetch') {
    client.prefetch({ parameters: [PARAMETER], secrets: [SECRET] })
  }
}
// What the module-scope code itself took (import, client, read or prefetch), by its own clock.
const INIT_CODE_MS = Math.round((performance.now() - T0) * 100) / 100

export const handler = async () => {
  if (MODE === 'bare') return { mode: MODE, init_code_ms: INIT_CODE_MS }
  const t0 = performance.now()
  let lengths = null
  let error = null
  try {
    lengths = [(await client.getParameter(PARAMETER)).length, (await client.getSecret(SECRET)).length]
  } catch (err) {
    error = `${err.code}: ${err.message}`
  }
  const readMs = Math.round((performance.now() - t0) * 1000) / 1000
  const s = client.stats()
  return {
    mode: MODE, init_code_ms: INIT_CODE_MS, init_read: initRead, read_ms: readMs, lengths, error,
    requests: s.requests, hits: s.hits, misses: s.misses
  }
}
