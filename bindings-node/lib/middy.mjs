// ESM entry of `paramsecrets/middy`: the CommonJS objects (see index.mjs for why `require`).
import { createRequire } from 'node:module'

const cjs = createRequire(import.meta.url)('./middy.js')

export const { paramsecretsSsm, ExtensionUnsupportedError, sanitizeKey } = cjs

export default paramsecretsSsm
