'use strict'
// `paramsecrets/powertools` for `require`: the providers over Powertools' CommonJS build
// (powertools-impl.js says what they are).
const { BaseProvider } = require('@aws-lambda-powertools/parameters/base')
const errors = require('@aws-lambda-powertools/parameters/errors')
const { build } = require('./powertools-impl.js')

module.exports = build({ BaseProvider, ...errors })
