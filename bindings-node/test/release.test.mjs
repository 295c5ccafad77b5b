// The registry layout (scripts/release/node/pack.mjs, `make release`): the main package without
// any .node and with optionalDependencies on the platform packages at its own version, one
// platform package with only its .node; packing twice gives the same bytes; installing the main
// tarball with this machine's platform tarball (offline, a fresh npm cache) gives exactly one
// .node, which the loader takes. Only this machine's platform package is packed here (the arm64
// .node exists only after `make arm64`); scripts/release/node/test.sh publishes all three to a
// local registry and installs them as a user would.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, TOKEN, packageDir, repoDir } from './helpers/emulator.mjs'
import { STORE } from './helpers/store.mjs'

const KEY = `linux-${process.arch}-gnu`
const PKG = `paramsecrets-${KEY}`
const NODE_FILE = `paramsecrets.${KEY}.node`
const PACK = join(repoDir, 'scripts', 'release', 'node', 'pack.mjs')
const cargoVersion = /^\[workspace\.package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(repoDir, 'Cargo.toml'), 'utf8'))[1]

let work, emu
const dirs = []
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'paramsecrets-release-'))
  for (const d of ['a', 'b']) {
    dirs.push(join(work, d))
    execFileSync(process.execPath, [PACK, '--platforms', KEY, join(work, d)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  }
  emu = await startEmulator({ store: STORE })
})
after(async () => {
  await emu?.stop()
  if (work) rmSync(work, { recursive: true, force: true })
})

const tarballs = (dir) => readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort()
const listing = (tgz) => execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean).sort()
const manifest = (tgz) => JSON.parse(execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' }))

test('two packs give byte-identical tarballs', () => {
  const [a, b] = dirs
  assert.deepEqual(tarballs(a), [`${PKG}-${cargoVersion}.tgz`, `paramsecrets-${cargoVersion}.tgz`].sort())
  for (const f of tarballs(a)) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f)
})

test('the main package holds no .node and depends on both platform packages at its own version', () => {
  const tgz = join(dirs[0], `paramsecrets-${cargoVersion}.tgz`)
  const files = listing(tgz)
  assert.deepEqual(files.filter((f) => f.endsWith('.node')), [])
  for (const f of ['package/lib/binding.js', 'package/lib/index.js', 'package/native.js', 'package/native.d.ts']) assert.ok(files.includes(f), f)
  const m = manifest(tgz)
  assert.equal(m.version, cargoVersion)
  assert.deepEqual(m.optionalDependencies, { 'paramsecrets-linux-arm64-gnu': cargoVersion, 'paramsecrets-linux-x64-gnu': cargoVersion })
  assert.equal(m.os, undefined, 'installable anywhere: the loader explains an unsupported platform')
  assert.equal(m.engines.node, '>= 22')
})

test(`${PKG} holds only its .node, for linux/${process.arch}/glibc, Node >= 22`, () => {
  const tgz = join(dirs[0], `${PKG}-${cargoVersion}.tgz`)
  assert.deepEqual(listing(tgz), ['package/README.md', 'package/package.json', `package/${NODE_FILE}`].sort())
  const m = manifest(tgz)
  assert.deepEqual([m.name, m.version, m.os, m.cpu, m.libc, m.main, m.engines.node], [PKG, cargoVersion, ['linux'], [process.arch], ['glibc'], NODE_FILE, '>= 22'])
})

test('installed from the tarballs: exactly one .node, from the platform package, and it reads', () => {
  const consumer = join(work, 'consumer')
  mkdirSync(consumer)
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }))
  const env = { ...process.env, npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' }
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dirs[0], `paramsecrets-${cargoVersion}.tgz`), join(dirs[0], `${PKG}-${cargoVersion}.tgz`)], { cwd: consumer, env, encoding: 'utf8' })
  const nodes = execFileSync('find', ['node_modules', '-name', '*.node'], { cwd: consumer, encoding: 'utf8' }).split('\n').filter(Boolean)
  assert.deepEqual(nodes, [`node_modules/${PKG}/${NODE_FILE}`])
  writeFileSync(join(consumer, 'read.mjs'), `
import { createRequire } from 'node:module'
import { Client } from 'paramsecrets'
const c = new Client({ endpoint: process.env.EMU_URL, token: process.env.TOKEN })
const v = await c.getParameter('/app/plain')
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.endsWith('.node'))
console.log(JSON.stringify({ v, loaded }))
`)
  const out = JSON.parse(execFileSync(process.execPath, ['read.mjs'], { cwd: consumer, encoding: 'utf8', env: { ...process.env, EMU_URL: emu.url, TOKEN } }))
  assert.deepEqual(out, { v: 'hello', loaded: [join(consumer, 'node_modules', PKG, NODE_FILE)] })
})

// pack.mjs finds the repository from its own path: a copy of the script beside copies of the
// manifests (and a link to node_modules, for napi) is a repository it checks without packing.
function fakeRepo (name, edit) {
  const r = join(work, name)
  mkdirSync(join(r, 'scripts', 'release', 'node'), { recursive: true })
  cpSync(PACK, join(r, 'scripts', 'release', 'node', 'pack.mjs'))
  cpSync(join(repoDir, 'Cargo.toml'), join(r, 'Cargo.toml'))
  mkdirSync(join(r, 'bindings-node'))
  for (const f of ['package.json', 'npm']) cpSync(join(packageDir, f), join(r, 'bindings-node', f), { recursive: true })
  symlinkSync(join(packageDir, 'node_modules'), join(r, 'bindings-node', 'node_modules'))
  edit?.(r)
  try {
    execFileSync(process.execPath, [join(r, 'scripts', 'release', 'node', 'pack.mjs'), join(r, 'out')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    return { status: e.status, stderr: e.stderr }
  }
  return { status: 0, stderr: '' }
}
const editJson = (f, change) => writeFileSync(f, JSON.stringify(change(JSON.parse(readFileSync(f, 'utf8'))), null, 2))

test('pack.mjs refuses a version that is not the Cargo workspace version, one line each', () => {
  const r = fakeRepo('versions', (root) => {
    editJson(join(root, 'bindings-node', 'package.json'), (m) => ({ ...m, version: '9.9.9' }))
    editJson(join(root, 'bindings-node', 'npm', 'linux-arm64-gnu', 'package.json'), (m) => ({ ...m, version: '9.9.8' }))
  })
  assert.equal(r.status, 1)
  const fix = `, but the Cargo workspace version is ${cargoVersion} (set it in package.json, then make -C bindings-node npm-dirs)`
  assert.equal(r.stderr, `pack: bindings-node/package.json: version 9.9.9${fix}\npack: bindings-node/npm/linux-arm64-gnu/package.json: version 9.9.8${fix}\n`)
})

test('pack.mjs refuses a platform manifest that napi create-npm-dirs would not write', () => {
  const r = fakeRepo('engines', (root) => {
    editJson(join(root, 'bindings-node', 'npm', 'linux-x64-gnu', 'package.json'), (m) => ({ ...m, engines: { node: '>= 20' }, libc: undefined }))
  })
  assert.equal(r.status, 1)
  assert.equal(r.stderr, 'pack: bindings-node/npm/linux-x64-gnu/package.json differs from what napi create-npm-dirs makes of package.json (engines, libc): run make -C bindings-node npm-dirs\n')
})

test('pack.mjs without the arm64 .node: one line saying to run make arm64', () => {
  const x64 = 'paramsecrets.linux-x64-gnu.node'
  const r = fakeRepo('arm64', (root) => cpSync(join(packageDir, x64), join(root, 'bindings-node', x64)))
  assert.equal(r.status, 1)
  assert.equal(r.stderr, 'pack: no bindings-node/paramsecrets.linux-arm64-gnu.node: run `make arm64` first (it cross-builds the aarch64 binary)\n')
})
