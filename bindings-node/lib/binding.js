'use strict'
// Loads the native module through napi's generated loader (`../native.js`), which tries the
// `.node` beside it (a build tree) and then the platform package npm installed
// (`paramsecrets-linux-x64-gnu` / `paramsecrets-linux-arm64-gnu`, optional dependencies of the
// published package). When that fails, or the Node.js is too old (npm only warns on `engines`),
// `require('paramsecrets')` throws one Error whose message is a single line saying what was
// detected, what is supported and what to do; `code` tells the cases apart.

const MIN_NODE = 22
const SUPPORTED = ['linux-x64-gnu', 'linux-arm64-gnu']

const major = Number(process.versions.node.split('.')[0])
if (major < MIN_NODE) {
  throw oneLine(`paramsecrets needs Node.js ${MIN_NODE} or newer (Lambda nodejs22.x or nodejs24.x); this is Node ${process.version}`, 'ERR_PARAMSECRETS_NODE_VERSION')
}

let native
try {
  native = require('../native.js')
} catch (e) {
  throw oneLine(noBinaryMessage(e), 'ERR_PARAMSECRETS_NO_BINARY')
}
module.exports = native

/** An Error that prints as its one line: no stack frames (all loader internals), `code` not enumerable. */
function oneLine (message, code) {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  const err = new Error(message)
  Error.stackTraceLimit = limit
  Object.defineProperty(err, 'code', { value: code, configurable: true, writable: true })
  return err
}

/** `glibc`, `musl`, or the platform itself off Linux. Only on the failure path (getReport is slow). */
function libc () {
  if (process.platform !== 'linux') return null
  const header = process.report?.getReport?.().header
  return header?.glibcVersionRuntime ? 'glibc' : 'musl'
}

function noBinaryMessage (loadError) {
  const c = libc()
  const key = `${process.platform}-${process.arch}${c === null ? '' : c === 'glibc' ? '-gnu' : '-musl'}`
  const detected = `this machine: platform ${process.platform}, arch ${process.arch}${c === null ? '' : `, libc ${c}`}`
  const supported = `supported: ${SUPPORTED.join(', ')} (Linux with glibc, as Lambda's nodejs22.x and nodejs24.x)`
  if (!SUPPORTED.includes(key)) {
    return `paramsecrets has no native binary for ${key} (${detected}); ${supported}: run it on one of those, e.g. in a Linux container or on Lambda`
  }
  const pkg = `paramsecrets-${key}`
  const install = `npm install --os=linux --cpu=${process.arch} --libc=glibc paramsecrets`
  let installed = true
  try {
    require.resolve(`${pkg}/package.json`)
  } catch {
    installed = false
  }
  if (!installed) {
    return `paramsecrets found no native binary for ${key} (${detected}): its package ${pkg} is not installed; install with optional dependencies (not --omit=optional), and when installing on another machine name this one: ${install}`
  }
  // Installed but not loadable (a truncated file, a glibc too old, ...): napi's loader chained
  // the reasons as causes; the platform package's own error says why in its first line.
  let reason = firstLine(loadError)
  try {
    require(pkg)
  } catch (e) {
    reason = firstLine(e)
  }
  return `paramsecrets cannot load its native binary from ${pkg} (${detected}): ${reason}; reinstall it: ${install}`
}

function firstLine (e) {
  const m = e !== null && typeof e === 'object' && typeof e.message === 'string' ? e.message : String(e)
  return m.split('\n')[0]
}
