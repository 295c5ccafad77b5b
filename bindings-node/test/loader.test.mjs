// What `require('paramsecrets')` says when it cannot work here (lib/binding.js): each case is a
// temporary folder holding the package as npm installs it (lib/, the generated native.js,
// package.json, no .node beside them) with or without a platform package, loaded by a fresh
// node. Another platform, libc or Node.js version is simulated with a --require preload that
// overrides what the loader reads (process.platform, process.arch, process.report,
// process.version). A real Node 20 is scripts/release/node/test.sh's (make release-test): it
// installs one and asserts the same line, so nothing here depends on what the machine has.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packageDir } from './helpers/emulator.mjs'

const ARCH = process.arch
const KEY = `linux-${ARCH}-gnu`
const PKG = `paramsecrets-${KEY}`
const NODE_FILE = `paramsecrets.${KEY}.node`
const SUPPORTED = 'supported: linux-x64-gnu, linux-arm64-gnu'
const INSTALL = `npm install --os=linux --cpu=${ARCH} --libc=glibc paramsecrets`

const root = mkdtempSync(join(tmpdir(), 'paramsecrets-loader-'))
after(() => rmSync(root, { recursive: true, force: true }))
let n = 0

/** A project folder with node_modules/paramsecrets (no .node) and, if given, the platform package. */
function project (platformNode) {
  const dir = join(root, `p${n++}`)
  const pkg = join(dir, 'node_modules', 'paramsecrets')
  mkdirSync(pkg, { recursive: true })
  for (const f of ['lib', 'native.js', 'package.json']) cpSync(join(packageDir, f), join(pkg, f), { recursive: true })
  if (platformNode !== undefined) {
    const plat = join(dir, 'node_modules', PKG)
    mkdirSync(plat)
    cpSync(join(packageDir, 'npm', KEY, 'package.json'), join(plat, 'package.json'))
    writeFileSync(join(plat, NODE_FILE), platformNode)
  }
  writeFileSync(join(dir, 'load.cjs'), `
try {
  const ps = require('paramsecrets')
  const nodes = Object.keys(require.cache).filter((f) => f.endsWith('.node'))
  console.log(JSON.stringify({ ok: true, version: ps.version, nodes }))
} catch (e) {
  console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }))
}
`)
  writeFileSync(join(dir, 'import.mjs'), "import { Client } from 'paramsecrets'\nconsole.log(typeof Client)\n")
  return dir
}

const PRELOADS = {
  darwin: "Object.defineProperty(process, 'platform', { value: 'darwin' }); Object.defineProperty(process, 'arch', { value: 'arm64' })",
  musl: 'process.report.getReport = () => ({ header: {} })',
  node20: "Object.defineProperty(process, 'version', { value: 'v20.18.0' }); Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.18.0' } })"
}

function run (dir, file, { preload, node = process.execPath } = {}) {
  const args = []
  if (preload) {
    writeFileSync(join(dir, `${preload}.cjs`), PRELOADS[preload])
    args.push('--require', `./${preload}.cjs`)
  }
  const r = spawnSync(node, [...args, file], { cwd: dir, encoding: 'utf8', env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: '' } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The caught error (load.cjs) and what an uncaught one prints (import.mjs). */
function failure (dir, opts) {
  const caught = JSON.parse(run(dir, 'load.cjs', opts).stdout)
  assert.equal(caught.ok, false, JSON.stringify(caught))
  assert.ok(!caught.message.includes('\n'), `one line: ${JSON.stringify(caught.message)}`)
  const uncaught = run(dir, 'import.mjs', opts)
  assert.equal(uncaught.status, 1)
  assert.ok(uncaught.stderr.split('\n').some((l) => l.includes(caught.message)), uncaught.stderr)
  assert.ok(!/^\s+at /m.test(uncaught.stderr), `no stack frames:\n${uncaught.stderr}`)
  return caught
}

test(`without ${PKG} (not installed, e.g. --omit=optional): one line naming the platform, the supported ones and the install command`, () => {
  const e = failure(project())
  assert.equal(e.code, 'ERR_PARAMSECRETS_NO_BINARY')
  assert.equal(e.message, `paramsecrets found no native binary for ${KEY} (this machine: platform linux, arch ${ARCH}, libc glibc): its package ${PKG} is not installed; install with optional dependencies (not --omit=optional), and when installing on another machine name this one: ${INSTALL}`)
})

test('on darwin-arm64: one line, no binary for it, the supported platforms', () => {
  const e = failure(project(), { preload: 'darwin' })
  assert.equal(e.code, 'ERR_PARAMSECRETS_NO_BINARY')
  assert.equal(e.message, `paramsecrets has no native binary for darwin-arm64 (this machine: platform darwin, arch arm64); ${SUPPORTED} (Linux with glibc, as Lambda's nodejs22.x and nodejs24.x): run it on one of those, e.g. in a Linux container or on Lambda`)
})

test('on musl (Alpine): one line naming the libc', () => {
  const e = failure(project(), { preload: 'musl' })
  assert.match(e.message, new RegExp(`^paramsecrets has no native binary for linux-${ARCH}-musl \\(this machine: platform linux, arch ${ARCH}, libc musl\\); ${SUPPORTED} `))
})

test(`${PKG} installed but its .node is not a loadable library: one line with the loader's reason`, () => {
  const e = failure(project('not a shared library\n'.repeat(64)))
  assert.equal(e.code, 'ERR_PARAMSECRETS_NO_BINARY')
  assert.match(e.message, new RegExp(`^paramsecrets cannot load its native binary from ${PKG} \\(this machine: platform linux, arch ${ARCH}, libc glibc\\): .*${NODE_FILE}: invalid ELF header; reinstall it: ${INSTALL}$`))
})

test(`with ${PKG} installed, the loader takes the .node from it`, () => {
  const dir = project(readBuilt())
  const r = JSON.parse(run(dir, 'load.cjs').stdout)
  assert.equal(r.ok, true, JSON.stringify(r))
  assert.deepEqual(r.nodes, [join(dir, 'node_modules', PKG, NODE_FILE)])
  assert.equal(run(dir, 'import.mjs').stdout.trim(), 'function')
})

test('on Node.js older than 22 (simulated): one line, before any native loading', () => {
  const e = failure(project(readBuilt()), { preload: 'node20' })
  assert.equal(e.code, 'ERR_PARAMSECRETS_NODE_VERSION')
  assert.equal(e.message, 'paramsecrets needs Node.js 22 or newer (Lambda nodejs22.x or nodejs24.x); this is Node v20.18.0')
})

function readBuilt () {
  const f = join(packageDir, NODE_FILE)
  assert.ok(existsSync(f), `${f} is built`)
  return readFileSync(f)
}
