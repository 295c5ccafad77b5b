'use strict'
// The one error of the integrations (`paramsecrets/powertools`, `paramsecrets/middy`) for a call
// the extension cannot serve. Not a retrieval failure: not a `GetParameterError`, so code that
// falls back on those never turns it into a silent empty result.

class ExtensionUnsupportedError extends Error {
  /**
   * @param {string} operation what was asked
   * @param {string} useInstead what to keep for that call
   */
  constructor (operation, useInstead) {
    super(`${operation} cannot go through the AWS Parameters and Secrets Lambda Extension (it serves single reads of parameters and secrets only); keep ${useInstead} for this call`)
    this.name = 'ExtensionUnsupportedError'
    this.operation = operation
    this.useInstead = useInstead
  }
}

module.exports = { ExtensionUnsupportedError }
