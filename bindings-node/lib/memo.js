'use strict'
// The host-side memo of core's cache answers (issue 15): a repeated read is answered here, in
// JavaScript, without a native call, which costs more than the whole lookup would. Core stays
// the one place that decides; the memo only repeats an answer core gave while core would give
// the same one:
//
// * Every entry comes from a core cache hit, with core's ticket (`[value, generation, slot,
//   ageMs, ttlMs]`, bindings-node/src/client.rs). Nothing else fills it: not a miss, not a
//   `forceFetch` read (never served from here either), not a batch.
// * Dropped anywhere in core means dropped here. Core bumps one generation per client, in
//   shared memory (a `Float64Array` over core's `MemoShared` header, offset 8), on every
//   invalidate, clear, refill and eviction. All entries carry the generation they were filled
//   at (`seen`); once the counter reads anything else, no entry is served and all are
//   forgotten at the next look (a read, a settled miss, `invalidate*`, `clearCache`), so no
//   value stays here after core let it go. One JavaScript thread owns a client, and anything
//   the thread can learn about a bump (the miss that evicted settling, its own `invalidate`
//   returning) reaches it through a synchronising hand-off, so a plain load sees the bump.
// * Freshness is decided in this process's monotonic clock (`performance.now()`, the same
//   CLOCK_MONOTONIC core's `Instant` reads). The clock is read *before* the native call and
//   core's age subtracted from it, so the memo's fetched-at is no later than core's and every
//   age it computes is at least the real one: it can only stop serving early, never late. No
//   `maxAge`: fresh while `now < fetched + ttl` (core's TTL for the kind, from the ticket);
//   with `maxAge`: while `now - fetched < maxAge` (a `maxAge` core would refuse goes to core).
// * LRU recency: a memo hit writes 1 into its entry's touch byte (a `Uint8Array` over core's
//   touch flags); core gives flagged entries a second chance before evicting, so a key read
//   only from here is not evicted as cold.
// * Stats: core never sees memo hits, so the memo counts them and `stats()` adds them to
//   core's `hits`; the totals are exact.
// * Values (issue 23): every read the memo answers, and the read that fills it, hands out
//   what `out` makes of the kept entry, and nothing else does: strings (and JSON primitives)
//   are immutable and handed out as they are (no copy on the hit path); a `Buffer` is copied;
//   a JSON object is deep-copied, keeping key order; a record is wrapped anew (`Parameter`,
//   `Secret`) around fresh copies of its mutable parts (a `Buffer` value, `secretBinary`,
//   `versionStages`). A caller changing what it got (`buf.fill(0)`, `stages.push(...)`) never
//   changes the entry, so every read gives exactly what a fresh conversion would.

/** The monotonic clock, in milliseconds. */
const now = performance.now.bind(performance)

// Larger values than this go to core, which checks them (and refuses the absurd ones).
const MAX_AGE_SECONDS = 1e9

// How `out` hands out an entry's value.
const SHARE = 0
const COPY_BUFFER = 1
const COPY_JSON = 2
const PARAMETER_RECORD = 3
const SECRET_RECORD = 4

function copyJson (v) {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(copyJson)
  const out = {}
  for (const k of Object.keys(v)) {
    // A JSON key `__proto__` is an own property of what core built; assigning it would set
    // the prototype instead.
    if (k === '__proto__') {
      Object.defineProperty(out, k, { value: copyJson(v[k]), writable: true, enumerable: true, configurable: true })
    } else {
      out[k] = copyJson(v[k])
    }
  }
  return out
}

const shapeOf = (v) => Buffer.isBuffer(v) ? COPY_BUFFER : (v !== null && typeof v === 'object' ? COPY_JSON : SHARE)

class Memo {
  /**
   * @param {[ArrayBuffer, ArrayBuffer] | null} views core's `memoViews()`
   * @param {{ parameter: (r: object) => object, secret: (r: object) => object }} wrap what a
   *   native record becomes when handed out (the wrapper copies the record's fields, never
   *   keeps the record itself)
   */
  constructor (views, wrap) {
    this.wrap = wrap
    this.on = views !== null
    // Off: a generation that equals nothing (NaN), so no entry would ever be served.
    this.gen = this.on ? new Float64Array(views[0], 8, 1) : new Float64Array([NaN])
    this.touch = this.on ? new Uint8Array(views[1]) : new Uint8Array(1)
    this.seen = NaN
    /** `getParameter(name)` without options: name → entry (a string, or a `Buffer` for a binary secret by reference). */
    this.parameters = new Map()
    /** `getSecret(id)` without options: id → entry. */
    this.secrets = new Map()
    /** Every other read: `keyOf…` → entry. */
    this.keyed = new Map()
    this.hits = 0
  }

  /**
   * The value for this read (through `out`) if core would answer it with the entry under `key`
   * now (no `maxAge`: the kind's TTL), counting the hit and touching the entry; else
   * `undefined`: ask core. (No value core gives is `undefined`: JSON has `null`, not that.)
   */
  read (map, key, maxAge) {
    const e = map.get(key)
    if (e === undefined || this.gen[0] !== this.seen) return undefined
    if (maxAge === undefined) {
      if (!(now() < e.until)) return undefined
    } else if (!(maxAge >= 0 && maxAge <= MAX_AGE_SECONDS && now() - e.fetched < maxAge * 1000)) {
      return undefined
    }
    this.touch[e.slot] = 1
    this.hits++
    return this.out(e)
  }

  /**
   * The one copy-out of the memo: what a read hands out from an entry. Nothing the caller
   * could change is shared with the entry.
   */
  out (e) {
    const v = e.value
    switch (e.shape) {
      case SHARE: return v
      case COPY_BUFFER: return Buffer.from(v)
      case COPY_JSON: return copyJson(v)
      case PARAMETER_RECORD:
        return this.wrap.parameter(Buffer.isBuffer(v.value) ? { ...v, value: Buffer.from(v.value) } : v)
      default:
        return this.wrap.secret({
          ...v,
          versionStages: v.versionStages.slice(),
          secretBinary: v.secretBinary == null ? v.secretBinary : Buffer.from(v.secretBinary)
        })
    }
  }

  /**
   * Keeps core's hit `[value, generation, slot, ageMs, ttlMs]` under `key`; `t0` is the clock
   * read before the call. Returns the value for this read, through `out`. Records pass their
   * shape (`PARAMETER_RECORD`, `SECRET_RECORD`); values have theirs found here.
   */
  remember (map, key, hit, t0, shape = shapeOf(hit[0])) {
    const value = hit[0]
    if (!this.on || key === undefined) {
      // Not kept (a forceFetch read, or the memo is off): nothing to protect, only to wrap.
      return shape === PARAMETER_RECORD ? this.wrap.parameter(value) : shape === SECRET_RECORD ? this.wrap.secret(value) : value
    }
    if (hit[1] !== this.seen) {
      this.forget()
      this.seen = hit[1]
    }
    const fetched = t0 - hit[3]
    const e = { value, slot: hit[2], fetched, until: fetched + hit[4], shape }
    map.set(key, e)
    return this.out(e)
  }

  /** Forgets everything once core's generation moved (after a miss, invalidate, clear). */
  sync () {
    if (this.gen[0] !== this.seen) this.forget()
  }

  forget () {
    this.parameters.clear()
    this.secrets.clear()
    this.keyed.clear()
  }
}

// Memo keys: one per distinct request and output form. Every part is either one character
// from a fixed set or length-prefixed, so no two requests share a key.
const TRANSFORM = { undefined: 'n', json: 'j', binary: 'b', auto: 'a' }
const part = (s) => s === undefined ? '-' : `${s.length}:${s}`

/** `getParameter` / `getParameterRecord` (`record`: no transform) with options `o`. */
const keyOfParameter = (record, n, o) =>
  `p${record ? 'r' : TRANSFORM[o.transform]}${o.decrypt === false ? 0 : 1}${o.version ?? ''}.${part(o.label)}${n}`

/** `getSecret` / `getSecretRecord` with options `o`. */
const keyOfSecret = (record, id, o) =>
  `s${record ? 'r' : TRANSFORM[o.transform]}${part(o.versionId)}${part(o.versionStage)}${id}`

/** `client[PEEK](name, o)`: the memo's answer to `getParameter(name, o)`, for paramsecrets/powertools. */
const PEEK = Symbol('paramsecrets.peekParameter')

module.exports = { Memo, now, keyOfParameter, keyOfSecret, PARAMETER_RECORD, SECRET_RECORD, PEEK }
