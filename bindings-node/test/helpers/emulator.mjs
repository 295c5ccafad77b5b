// Starts the real emulator process (`paramsecrets-emulator`) for a test and talks to its
// `/_emulator/*` endpoints. The binary: $PARAMSECRETS_EMULATOR, else the workspace's debug build.

import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import net from 'node:net'

export const here = dirname(fileURLToPath(import.meta.url))
export const packageDir = join(here, '..', '..')
export const repoDir = join(packageDir, '..')

export const TOKEN = 'node-test-token'

export function emulatorPath () {
  const p = process.env.PARAMSECRETS_EMULATOR || join(repoDir, 'target', 'debug', 'paramsecrets-emulator')
  if (!existsSync(p)) {
    throw new Error(`emulator binary not found at ${p}: run \`cargo build -p paramsecrets-emulator\` (or set PARAMSECRETS_EMULATOR)`)
  }
  return p
}

/** Writes a store object to a temporary file and returns its path. */
export function writeStore (store) {
  const dir = mkdtempSync(join(tmpdir(), 'paramsecrets-node-'))
  const file = join(dir, 'store.json')
  writeFileSync(file, JSON.stringify(store))
  return file
}

/**
 * Starts the emulator on a free port and resolves once it listens.
 * @param {{ store: object|string, dialect?: string, token?: string, args?: string[], env?: Record<string,string> }} o
 */
export async function startEmulator ({ store, dialect = 'extension', token = TOKEN, args = [], env = {} }) {
  const storeFile = typeof store === 'string' ? store : writeStore(store)
  const child = spawn(emulatorPath(), ['--store', storeFile, '--dialect', dialect, '--port', '0', '--token', token, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += d })
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout })
    const timer = setTimeout(() => reject(new Error(`emulator did not start in 10 s: ${stderr}`)), 10_000)
    rl.once('line', (l) => { clearTimeout(timer); resolve(l) })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited with ${code}: ${stderr}`)) })
  })
  const m = /^listening on 127\.0\.0\.1:(\d+) dialect=(\w+)$/.exec(line)
  if (!m) throw new Error(`unexpected first line from the emulator: ${JSON.stringify(line)}`)
  const port = Number(m[1])
  const url = `http://127.0.0.1:${port}`
  return {
    port,
    url,
    token,
    child,
    async stats () {
      const r = await fetch(`${url}/_emulator/stats`)
      return r.json()
    },
    /** Requests the emulator saw for one key, e.g. `parameter:/a`. */
    async requestsFor (key) {
      const s = await this.stats()
      return s.keys[key]?.requests ?? 0
    },
    async reset () {
      await fetch(`${url}/_emulator/reset`, { method: 'POST' })
    },
    async stop () {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}

/** A loopback port with nothing listening on it. */
export async function closedPort () {
  const srv = net.createServer()
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address()
  await new Promise((resolve) => srv.close(resolve))
  return port
}
