// Black-box comparison of `iamlint simulate` with the npm package @cloud-copilot/iam-simulate (AGPL)
// on random requests. Not part of the test suite and not shipped: run it by hand from a scratch folder:
//
//   mkdir /tmp/cmp && cd /tmp/cmp && npm init -y && npm install @cloud-copilot/iam-simulate
//   cp <repo>/tools/compare-iam-simulate.mjs . && IAMLINT=<repo>/target/debug/iamlint node compare-iam-simulate.mjs SEED COUNT
//
// It only calls the package's public `runSimulation` API (no code is copied or read). Disagreements are
// written to disagree-SEED.json for adjudication against the rules of docs/evaluator.md.
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'

let seed = Number(process.argv[2] || 1)
const N = Number(process.argv[3] || 400)
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
const pick = (a) => a[Math.floor(rnd() * a.length)]
const maybe = (p) => rnd() < p

const ACCT = '111122223333', OTHER = '444455556666'
const principals = [
  `arn:aws:iam::${ACCT}:user/alice`, `arn:aws:iam::${ACCT}:user/bob`,
  `arn:aws:sts::${ACCT}:assumed-role/R/s`, `arn:aws:iam::${OTHER}:user/carol`,
]
const requests = [
  ['s3:GetObject', 'arn:aws:s3:::bkt/home/alice/k'], ['s3:GetObject', 'arn:aws:s3:::bkt/k'],
  ['s3:PutObject', 'arn:aws:s3:::bkt/k'], ['s3:ListBucket', 'arn:aws:s3:::bkt'],
  ['iam:ListUsers', '*'], ['iam:PassRole', `arn:aws:iam::${ACCT}:role/R`], ['ec2:DescribeInstances', '*'],
  ['sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCT}:q`],
]
const actions = ['sts:AssumeRole', 'sts:*', 's3:*', 's3:Get*', 's3:GetObject', 'S3:getobject', 's3:List*', 'iam:*', 'iam:Pass*', 'ec2:Describe*', 'sqs:*', '*', 'sqs:Send?essage']
const resources = ['*', 'arn:aws:s3:::bkt/*', 'arn:aws:s3:::bkt', 'arn:aws:s3:::bkt/home/${aws:username}/*',
  `arn:aws:iam::${ACCT}:role/*`, `arn:aws:sqs:*:${ACCT}:*`, 'arn:aws:s3:::BKT/*']
const conditions = [
  null, null, null,
  { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  { StringEquals: { 'aws:PrincipalTag/team': 'dev' } },
  { StringNotEquals: { 'aws:PrincipalTag/team': ['dev', 'ops'] } },
  { StringLike: { 'aws:PrincipalTag/team': 'd*' } },
  { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'owner'] } },
  { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } },
  { Null: { 'aws:PrincipalTag/team': 'true' } },
  { NumericLessThan: { 's3:max-keys': '10' } },
  { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
  { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/*` } },
  { StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'DEV' } },
]
function statement(effect, withPrincipal) {
  const s = { Effect: effect }
  s[maybe(0.2) ? 'NotAction' : 'Action'] = maybe(0.5) ? pick(actions) : [pick(actions), pick(actions)]
  s[maybe(0.1) ? 'NotResource' : 'Resource'] = pick(resources)
  if (withPrincipal) {
    s.Principal = pick(['*', { AWS: pick(principals.filter(p => !p.includes('assumed'))) }, { AWS: ACCT }, { AWS: `arn:aws:iam::${ACCT}:role/R` }, { AWS: OTHER }])
  }
  const c = pick(conditions)
  if (c) s.Condition = c
  return s
}
const policy = (n, effects, wp = false) => ({ Version: '2012-10-17', Statement: Array.from({ length: n }, () => statement(pick(effects), wp)) })

const ctxChoices = [
  ['aws:MultiFactorAuthPresent', ['true', 'false']], ['aws:PrincipalTag/team', ['dev', 'ops', 'Dev']],
  ['aws:SourceIp', ['203.0.113.7', '198.51.100.1', '2001:db8::5']], ['aws:TagKeys', [['env'], ['env', 'cost'], []]],
  ['aws:CurrentTime', ['2019-01-01T00:00:00Z', '2024-01-01T00:00:00Z']], ['s3:max-keys', ['5', '50']],
]
const types = { 'aws:MultiFactorAuthPresent': 'boolean', 'aws:SourceIp': 'ip', 'aws:TagKeys': 'stringList', 'aws:CurrentTime': 'date', 's3:max-keys': 'numeric' }
const map = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' }

let agree = 0, disagree = [], skipped = 0
for (let i = 0; i < N; i++) {
  const principal = pick(principals)
  const trust = maybe(0.3)
  const [action, resource] = trust ? ['sts:AssumeRole', `arn:aws:iam::${ACCT}:role/Target`] : pick(requests)
  const identity = policy(1 + Math.floor(rnd() * 3), ['Allow', 'Allow', 'Deny'])
  let resourcePolicy = maybe(0.4) && resource !== '*' ? policy(1 + Math.floor(rnd() * 2), ['Allow', 'Allow', 'Deny'], true) : undefined
  if (trust) {
    const st = { Effect: 'Allow', Principal: pick([{ AWS: principal }, { AWS: ACCT }, { AWS: `arn:aws:iam::${ACCT}:root` }, { AWS: `arn:aws:iam::${ACCT}:role/R` }, { AWS: OTHER }, '*', { AWS: `arn:aws:iam::${ACCT}:user/bob` }]), Action: 'sts:AssumeRole' }
    const c = pick([null, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }])
    if (c) st.Condition = c
    resourcePolicy = { Version: '2012-10-17', Statement: [st] }
  }
  const boundary = maybe(0.2) ? policy(1, ['Allow']) : undefined
  const ctx = {}
  for (const [k, vals] of ctxChoices) if (maybe(0.4) && (!k.startsWith('s3:') || action.startsWith('s3:'))) ctx[k] = pick(vals)
  // Keys AWS derives from the principal (iamlint fills them in itself; iam-simulate expects them as input).
  const derived = { 'aws:PrincipalAccount': principal.split(':')[4] }
  if (principal.includes(':user/')) { derived['aws:PrincipalArn'] = principal; derived['aws:username'] = principal.split('/').pop(); derived['aws:PrincipalType'] = 'User' }
  else { derived['aws:PrincipalArn'] = `arn:aws:iam::${principal.split(':')[4]}:role/${principal.split('/')[1]}`; derived['aws:PrincipalType'] = 'AssumedRole' }
  const theirCtx = { ...derived, ...ctx }
  const resourceAccount = ACCT
  const sim = {
    identityPolicies: [{ name: 'id', policy: identity }],
    serviceControlPolicies: [], resourceControlPolicies: [],
    resourcePolicy, permissionBoundaryPolicies: boundary ? [{ name: 'pb', policy: boundary }] : undefined,
    request: { action, principal, resource: { resource, accountId: resourceAccount }, contextVariables: theirCtx },
  }
  let theirs
  try {
    const r = await runSimulation(sim, {})
    if (r.resultType === 'error') { skipped++; continue }
    theirs = map[r.overallResult]
  } catch (e) { skipped++; continue }
  const args = ['simulate', '--policy-input-list', JSON.stringify(identity), '--action-names', action,
    '--resource-arns', resource, '--caller-arn', principal, '--resource-owner', resourceAccount, '--output', 'json']
  if (resourcePolicy) args.push('--resource-policy', JSON.stringify(resourcePolicy))
  if (boundary) args.push('--permissions-boundary-policy-input-list', JSON.stringify(boundary))
  const entries = Object.entries(ctx).map(([k, v]) => ({ ContextKeyName: k, ContextKeyValues: Array.isArray(v) ? v : [v], ContextKeyType: types[k] || 'string' }))
  if (entries.length) args.push('--context-entries', JSON.stringify(entries))
  const out = JSON.parse(execFileSync(process.env.IAMLINT || './iamlint', args, { encoding: 'utf8' }))
  const ours = out.EvaluationResults[0].EvalDecision
  if (ours === theirs) agree++
  else disagree.push({ i, theirs, ours, sim })
}
console.log(JSON.stringify({ seed: process.argv[2], total: agree + disagree.length, agree, disagree: disagree.length, skipped }))
writeFileSync(`disagree-${process.argv[2] || 1}.json`, JSON.stringify(disagree, null, 1))
