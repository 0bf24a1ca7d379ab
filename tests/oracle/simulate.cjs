// Test-only oracle for tests/test_oracle_differential.py: reads JSON lines
//   {"policy": <trust policy>, "principal": "...", "actions": ["..."], "context": {...}, "identityAllow": bool}
// and prints one JSON line per request: {"decision": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error"}.
// Uses @cloud-copilot/iam-simulate (AGPL, installed by `npm ci --prefix tests/oracle`, never shipped).
// Its unvalidated engine is called the way runUnsafeSimulation does, because the validated entry point drops the
// EKS OIDC condition keys and runUnsafeSimulation loads the resource policy without the name the engine reads.
'use strict'
const path = require('path')
const readline = require('readline')

const base = path.join(path.dirname(require.resolve('@cloud-copilot/iam-simulate')), '.')
const { authorize } = require(path.join(base, 'core_engine/CoreSimulatorEngine.js'))
const { AwsRequestImpl } = require(path.join(base, 'request/request.js'))
const { RequestContextImpl } = require(path.join(base, 'requestContext.js'))
const { DiscoveryContextKeyConstraints } = require(path.join(base, 'context_keys/discoveryContextKeyConstraints.js'))
const { loadPolicy } = require('@cloud-copilot/iam-policy')

const ROLE = { resource: 'arn:aws:iam::123456789012:role/under-test', accountId: '123456789012' }
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }

function decide(line) {
  const input = JSON.parse(line)
  const results = input.actions.map((action) => {
    const request = new AwsRequestImpl(input.principal, ROLE, action, new RequestContextImpl(input.context))
    const analysis = authorize({
      request,
      sessionPolicy: undefined,
      identityPolicies: input.identityAllow ? [loadPolicy(ALLOW_ALL, { name: 'identity' })] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: loadPolicy(input.policy, { name: 'trust' }),
      permissionBoundaries: undefined,
      vpcEndpointPolicies: undefined,
      simulationParameters: {
        simulationMode: 'Strict',
        discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([])
      },
      serviceSettings: { s3: {} }
    })
    return analysis.result
  })
  // Every action must be allowed (Pod Identity needs sts:AssumeRole and sts:TagSession); an explicit deny wins.
  if (results.includes('ExplicitlyDenied')) return 'ExplicitlyDenied'
  if (results.every((r) => r === 'Allowed')) return 'Allowed'
  if (results.every((r) => ['Allowed', 'ImplicitlyDenied'].includes(r))) return 'ImplicitlyDenied'
  return `Unexpected:${results.join(',')}`
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => {
  if (!line.trim()) return
  let decision
  try {
    decision = decide(line)
  } catch (error) {
    decision = `Error:${error && error.message}`
  }
  process.stdout.write(JSON.stringify({ decision }) + '\n')
})
