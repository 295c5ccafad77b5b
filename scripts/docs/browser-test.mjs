// The documentation site in a real browser (scripts/docs/browser-test runs this with Node 22 and
// puppeteer-core from ${PARAMSECRETS_CACHE:-~/.cache/paramsecrets}/docs-node):
//   - serves target/docs/site on 127.0.0.1 (a free port) from this process;
//   - crawls every page reachable from the home page and checks that every internal href/src
//     resolves (fragments included for the site's own pages), and that every HTML file in the
//     site is reachable;
//   - opens every page in headless Chromium (Debian's) and fails on any console error, page
//     error or failed request;
//   - takes three screenshots into target/docs/screenshots/: the home page, a content-tab switch
//     (getting started, Node.js tab) and a search result.
// Exit 0 when all pass; 1 with each problem on its own line.
import { createServer } from 'node:http'
import { readFile, readdir, mkdir, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'

const [siteDir, shotsDir, modulesDir, chromium] = process.argv.slice(2)
const require = createRequire(path.join(modulesDir, 'noop.js'))
const puppeteer = require('puppeteer-core')

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.xml': 'application/xml', '.inv': 'application/octet-stream', '.gz': 'application/gzip', '.txt': 'text/plain', '.ico': 'image/x-icon' }

async function fileFor (urlPath) {
  const rel = decodeURIComponent(urlPath.split('?')[0])
  let p = path.join(siteDir, rel)
  if (!p.startsWith(siteDir)) return null
  try {
    const s = await stat(p)
    if (s.isDirectory()) p = path.join(p, 'index.html')
    await stat(p)
    return p
  } catch { return null }
}

const server = createServer(async (req, res) => {
  const p = await fileFor(new URL(req.url, 'http://x').pathname)
  if (!p) { res.writeHead(404); res.end('not found'); return }
  res.writeHead(200, { 'content-type': TYPES[path.extname(p)] ?? 'application/octet-stream' })
  res.end(await readFile(p))
})
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${server.address().port}`
const problems = []

// 1. Crawl: every internal link and resource of every reachable page resolves.
const ids = new Map() // page path -> Set of ids
const seen = new Set(['/'])
const queue = ['/']
const fragments = [] // [from, pagePath, fragment]
const ATTR = /\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi
while (queue.length) {
  const page = queue.shift()
  const file = await fileFor(page)
  const html = await readFile(file, 'utf8')
  ids.set(page, new Set([...html.matchAll(/\sid\s*=\s*["']([^"']+)["']/g)].map(m => m[1])))
  for (const m of html.matchAll(ATTR)) {
    const raw = (m[1] ?? m[2]).replace(/&amp;/g, '&')
    if (!raw || /^(mailto|javascript|data):/i.test(raw)) continue
    const url = new URL(raw, origin + page)
    if (url.origin !== origin) continue
    let target = url.pathname
    const f = await fileFor(target)
    if (!f) { problems.push(`broken link: ${page} -> ${raw}`); continue }
    if (target.endsWith('/')) target += 'index.html'
    if (!target.endsWith('.html') && f.endsWith('index.html')) target = target.replace(/\/?$/, '/index.html')
    if (f.endsWith('.html')) {
      if (url.hash.length > 1) fragments.push([page, target, decodeURIComponent(url.hash.slice(1))])
      if (!seen.has(target)) { seen.add(target); queue.push(target) }
    }
  }
}
const norm = p => (p === '/' ? '/index.html' : p)
for (const [from, target, frag] of fragments) {
  const known = ids.get(target) ?? ids.get(target === '/index.html' ? '/' : target)
  // only our own pages (MkDocs) are held to their anchors; TypeDoc and javadoc add ids with scripts
  if (known && !target.startsWith('/api/node/') && !target.startsWith('/api/java/') && !known.has(frag)) {
    problems.push(`broken anchor: ${from} -> ${target}#${frag}`)
  }
}
async function htmlFiles (dir) {
  const out = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...await htmlFiles(p))
    else if (e.name.endsWith('.html')) out.push('/' + path.relative(siteDir, p).split(path.sep).join('/'))
  }
  return out
}
const reachable = new Set([...seen].map(norm))
for (const f of await htmlFiles(siteDir)) {
  if (f !== '/404.html' && !reachable.has(f)) problems.push(`unreachable page (linked from nowhere): ${f}`)
}
console.log(`crawl: ${seen.size} pages, ${fragments.length} anchors checked`)

// 2. Every page in the browser: no console error, page error or failed request.
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run']
})
try {
  const page = await browser.newPage()
  await page.setViewport({ width: 1280, height: 900 })
  let current = ''
  page.on('console', msg => { if (msg.type() === 'error' && !(msg.location()?.url ?? '').endsWith('/favicon.ico')) problems.push(`console error on ${current}: ${msg.text()}`) })
  page.on('pageerror', err => problems.push(`page error on ${current}: ${err.message}`))
  page.on('requestfailed', req => problems.push(`request failed on ${current}: ${req.url()} (${req.failure()?.errorText})`))
  // Chromium asks for /favicon.ico by itself on pages without an icon link (javadoc's): that is
  // no link of the site's, so it is not held against it (everything else is).
  const own = url => url.startsWith(origin) && new URL(url).pathname !== '/favicon.ico'
  page.on('response', res => { if (own(res.url()) && res.status() >= 400) problems.push(`HTTP ${res.status()} on ${current}: ${res.url()}`) })
  for (const p of [...seen].sort()) {
    current = p
    await page.goto(origin + p, { waitUntil: 'load' })
  }
  console.log(`browser: ${seen.size} pages opened`)

  // 3. Screenshots.
  await mkdir(shotsDir, { recursive: true })
  const shots = []
  const shot = async (name) => { const f = path.join(shotsDir, name); await page.screenshot({ path: f }); shots.push(f) }
  current = '/ (screenshot)'
  await page.goto(origin + '/', { waitUntil: 'networkidle0' })
  await shot('home.png')

  current = '/getting-started/ (tab switch)'
  await page.goto(origin + '/getting-started/', { waitUntil: 'networkidle0' })
  const label = await page.$$eval('.tabbed-labels > label', ls => ls.map(l => l.textContent.trim()))
  const idx = label.indexOf('Node.js')
  if (idx < 0) problems.push(`getting started: no Node.js tab (tabs: ${label.join(', ')})`)
  else {
    await page.click(`.tabbed-labels > label:nth-child(${idx + 1})`)
    await new Promise(resolve => setTimeout(resolve, 700)) // the tab's underline slides over
    const shown = await page.$eval('.tabbed-set', set => {
      const inputs = [...set.querySelectorAll(':scope > input')]
      const i = inputs.findIndex(x => x.checked)
      const block = set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')[i]
      return block && getComputedStyle(block).display !== 'none' ? block.textContent : ''
    })
    if (!shown.includes('npm install paramsecrets')) problems.push('getting started: the Node.js tab did not show the npm install')
    await shot('tab-switch.png')
  }

  current = '/ (search)'
  await page.goto(origin + '/', { waitUntil: 'networkidle0' })
  // the header's search field (the wide layout shows it; the narrow one opens it with "/")
  await page.keyboard.press('/')
  await page.type('input[data-md-component="search-query"]', 'force_fetch')
  try {
    await page.waitForSelector('.md-search-result__item', { timeout: 15000 })
    const n = await page.$$eval('.md-search-result__item', items => items.length)
    console.log(`search "force_fetch": ${n} results`)
  } catch { problems.push('search: no result for "force_fetch" within 15 s') }
  await shot('search.png')
  for (const f of shots) console.log(`screenshot: ${f}`)
} finally {
  await browser.close()
  server.close()
}

if (problems.length) {
  for (const p of problems) console.log(`FAIL ${p}`)
  console.log(`browser test: ${problems.length} problem(s)`)
  process.exit(1)
}
console.log('browser test: passed')
