// Types for the ESM entry of `paramsecrets/middy`: the same declarations as the CommonJS one.
export * from './middy.js'
import { paramsecretsSsm } from './middy.js'
export default paramsecretsSsm
