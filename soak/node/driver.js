'use strict'
// The Node soak driver (soak/README.md): one long-lived process reading through the
// paramsecrets package (bindings-node) against the emulator that soak/run.py starts, restarts
// and feeds new store generations.
//
// Four async tasks on the main thread (one Client) and two in a worker_thread (its own Client:
// the addon loaded in a second V8 isolate). Every value is `<name>#g<generation>`; each read is
// checked against the generation log in SOAK_GENS. One JSON line per second on stdout: reads,
// wrong values and errors by code since the last line, and process.memoryUsage().heapUsed after
// a full GC (run with --expose-gc). No value is ever printed.

const fs = require('node:fs')
const path = require('node:path')
const { Worker, isMainThread, parentPort } = require('node:worker_threads')
const { Client, ParamSecretsError } = require(path.join(__dirname, '..', '..', 'bindings-node'))

const env = (k, d) => Number(process.env[k] ?? d)
const SECONDS = env('SOAK_SECONDS', 60)
const TTL = env('SOAK_TTL', 2)
const STALE = env('SOAK_STALE', 3)
const WINDOW = env('SOAK_WINDOW', 10)
const CACHE = env('SOAK_CACHE', 64)
const PARAMS = Array.from({ length: env('SOAK_PARAMS', 400) }, (_, i) => `/soak/p/${String(i).padStart(4, '0')}`)
const SECRETS = Array.from({ length: env('SOAK_SECRETS', 40) }, (_, i) => `soak/s/${String(i).padStart(3, '0')}`)
const HOT_P = PARAMS.slice(0, 8)
const HOT_S = SECRETS.slice(0, 4)
const INJECTED = new Set(['unavailable', 'not_ready', 'timeout']) // soak/run.py judges when they are allowed

let starts = new Map()
function reloadGens () {
  let text
  try { text = fs.readFileSync(process.env.SOAK_GENS ?? '', 'utf8') } catch { return }
  const m = new Map()
  for (const line of text.split('\n')) {
    const [g, t] = line.trim().split(/\s+/)
    if (g && t) m.set(Number(g), Number(t))
  }
  starts = m
}

function checkOnce (name, value) {
  if (typeof value !== 'string' || !value.includes('#g')) return `${name}: value not in the soak format`
  const at = value.lastIndexOf('#g')
  if (value.slice(0, at) !== name) return `${name}: value of another name`
  const g = value.slice(at + 2)
  if (!/^\d+$/.test(g)) return `${name}: unparsable generation`
  const gen = Number(g)
  if (!starts.has(gen)) return `${name}: generation ${gen} unknown (from the future)`
  const next = starts.get(gen + 1)
  const now = Date.now() / 1000
  if (next !== undefined && next < now - WINDOW) return `${name}: generation ${gen} superseded ${(now - next).toFixed(1)} s ago (window ${WINDOW} s)`
  return null
}

function check (name, value) {
  let why = checkOnce(name, value)
  if (why && why.includes('unknown')) { reloadGens(); why = checkOnce(name, value) }
  return why
}

const counts = { reads: 0, wrong: 0, errors: {}, bad: [] }
function record (name, value, error) {
  counts.reads++
  if (error) {
    const code = error instanceof ParamSecretsError ? error.code : (error.name || 'Error')
    counts.errors[code] = (counts.errors[code] || 0) + 1
    if (!INJECTED.has(code) && counts.bad.length < 5) counts.bad.push(`${code}: ${error.message}`)
    return
  }
  const why = check(name, value)
  if (why) {
    counts.wrong++
    if (counts.bad.length < 5) counts.bad.push(why)
  }
}

async function read (name, promise) {
  try { record(name, await promise) } catch (e) { record(name, undefined, e) }
}

function recordBatch (items) {
  for (const it of items) {
    if (it.error) record(it.name, undefined, it.error)
    else record(it.name, it.value)
  }
}

const pick = (list) => list[Math.floor(Math.random() * list.length)]
const sample = (list, k) => {
  const s = new Set()
  while (s.size < k) s.add(pick(list))
  return [...s]
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
let stopping = false

async function op (c) {
  const r = Math.floor(Math.random() * 1000)
  if (r < 700) return read(...withName(pick(HOT_P), (n) => c.getParameter(n)))
  if (r < 850) return read(...withName(pick(PARAMS), (n) => c.getParameter(n)))
  if (r < 880) return read(...withName(pick(r < 870 ? HOT_S : SECRETS), (n) => c.getSecret(n)))
  if (r < 900) return read(...withName(pick(HOT_P), (n) => c.getParameter(n, { forceFetch: true })))
  if (r < 930) {
    try { recordBatch(await c.getParameters(sample(PARAMS, 8))) } catch (e) { record('batch', undefined, e) }
    return
  }
  if (r < 940) {
    try { recordBatch(await c.getSecrets(sample(SECRETS, 4))) } catch (e) { record('batch', undefined, e) }
    return
  }
  if (r < 950) { c.invalidateParameter(pick(HOT_P)); c.invalidateSecret(pick(HOT_S)); return }
  if (r < 952) { c.clearCache(); return }
  if (r < 960) { c.prefetch({ parameters: sample(PARAMS, 4), secrets: [pick(SECRETS)] }); return }
  return read(...withName(pick(HOT_P), (n) => c.getParameter(n, { maxAge: 0.5 })))
}

function withName (name, fn) {
  return [name, fn(name)]
}

async function task (c) {
  while (!stopping) {
    for (let i = 0; i < 20 && !stopping; i++) await op(c)
    await sleep(5)
  }
}

function takeCounts () {
  const out = { reads: counts.reads, wrong: counts.wrong, errors: counts.errors, bad: counts.bad }
  counts.reads = 0
  counts.wrong = 0
  counts.errors = {}
  counts.bad = []
  return out
}

function newClient () {
  return new Client({ ttl: TTL, staleIfError: STALE, cacheSize: CACHE })
}

if (isMainThread) {
  reloadGens()
  const c = newClient()
  const tasks = [task(c), task(c), task(c), task(c)]
  const worker = new Worker(__filename)
  const fromWorker = { reads: 0, wrong: 0, errors: {}, bad: [] }
  let workerHeap = null
  worker.on('message', (m) => {
    if (m.heap != null) workerHeap = m.heap
    fromWorker.reads += m.reads
    fromWorker.wrong += m.wrong
    for (const [k, v] of Object.entries(m.errors)) fromWorker.errors[k] = (fromWorker.errors[k] || 0) + v
    fromWorker.bad.push(...m.bad)
  })
  worker.on('error', (e) => { console.error(`soak: worker failed: ${e && e.message}`); process.exitCode = 1 })
  let heap = null
  let tick = 0
  const end = Date.now() + SECONDS * 1000
  const report = () => {
    const own = takeCounts()
    const errors = { ...own.errors }
    for (const [k, v] of Object.entries(fromWorker.errors)) errors[k] = (errors[k] || 0) + v
    const line = {
      t: Number((Date.now() / 1000).toFixed(3)),
      reads: own.reads + fromWorker.reads,
      wrong: own.wrong + fromWorker.wrong,
      errors,
      // Both isolates' heaps: the worker thread's is its own (it reports it after its own GC).
      heap: heap == null || workerHeap == null ? heap : heap + workerHeap,
      bad: [...own.bad, ...fromWorker.bad].slice(0, 5)
    }
    fromWorker.reads = 0
    fromWorker.wrong = 0
    fromWorker.errors = {}
    fromWorker.bad = []
    process.stdout.write(JSON.stringify(line) + '\n')
  }
  const timer = setInterval(() => {
    reloadGens()
    tick++
    if (tick % 2 !== 0) return
    if (tick % 10 === 0 && typeof global.gc === 'function') {
      global.gc()
      heap = process.memoryUsage().heapUsed
    }
    report()
    if (Date.now() >= end && !stopping) {
      stopping = true
      worker.postMessage('stop')
      // The worker's last counts arrive within its next one-second report; then it is ended.
      Promise.all(tasks).then(() => sleep(1500)).then(() => worker.terminate()).then(() => {
        clearInterval(timer)
        report()
      })
    }
  }, 500)
} else {
  reloadGens()
  const c = newClient()
  const tasks = [task(c), task(c)]
  let seconds = 0
  const timer = setInterval(() => {
    reloadGens()
    const counts = takeCounts()
    if (++seconds % 5 === 0 && typeof global.gc === 'function') {
      global.gc()
      counts.heap = process.memoryUsage().heapUsed
    }
    parentPort.postMessage(counts)
  }, 1000)
  parentPort.on('message', (m) => {
    if (m === 'stop') {
      stopping = true
      Promise.all(tasks).then(() => {
        clearInterval(timer)
        parentPort.postMessage(takeCounts())
      })
    }
  })
}
