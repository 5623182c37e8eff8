/**
 * The `@connections` management API of a WebSocket API stage (AWS apigatewaymanagementapi) and
 * Portico's topic extensions. Every call is SigV4-authenticated; bodies are read under the AWS
 * 128 KiB cap first (the signature covers the body hash). Resources:
 *   POST|GET|DELETE /@connections/{id}           AWS PostToConnection / GetConnection / Delete
 *   POST   /@connections/{id}/topics             subscribe, body {"topics": [...]}
 *   DELETE /@connections/{id}/topics/{topic}     unsubscribe
 *   POST   /@topics/{topic}                      broadcast to every subscriber of the stage
 */
import type { GatewayBindings } from '../../env'
import { ManagementError, renderManagementError } from '../../errors/management-error'
import { readCapped } from '../../streams/read-capped'
import { shardOf } from '../connection-id'
import { invalidTopic, isValidTopic } from '../hub/topics'
import { authenticateManagement } from './auth'
import { broadcast, hubOf, type ManagementHub } from './hub-client'
import { parseManagementPath, type ManagementTarget } from './paths'

/** AWS: PostToConnection data is at most 128 KiB. */
export const MAX_MANAGEMENT_BODY_BYTES = 128 * 1024

export interface ManagementCall {
  request: Request
  env: GatewayBindings
  url: URL
  /** The canonical path below the stage. */
  path: string
  apiId: string
  stage: string
  requestId: string
}

interface Authenticated extends ManagementCall {
  target: ManagementTarget
  body: Uint8Array
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Text frames for UTF-8 bodies (what clients of AWS receive), binary frames otherwise. */
function frameOf(body: Uint8Array): string | ArrayBuffer {
  try {
    return utf8.decode(body)
  } catch {
    return body.slice().buffer
  }
}

function json(value: unknown, requestId: string): Response {
  return new Response(JSON.stringify(value), {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId },
  })
}

function empty(status: number, requestId: string): Response {
  return new Response(null, { status, headers: { 'x-amzn-RequestId': requestId } })
}

function gone(): ManagementError {
  return new ManagementError('GoneException', { reason: 'connection gone' })
}

function notFound(): ManagementError {
  return new ManagementError('NotFoundException', { reason: 'no management resource' })
}

function connectionHub(call: Authenticated, connectionId: string): ManagementHub {
  const shard = shardOf(connectionId)
  // Not an id Portico could have issued: nothing to find, and nothing to echo back.
  if (shard === undefined) {
    throw new ManagementError('BadRequestException', { message: 'Invalid connectionId' })
  }
  return hubOf(call.env, call.apiId, call.stage, shard)
}

function parseTopicsBody(body: Uint8Array): string[] {
  let value: unknown
  try {
    value = JSON.parse(utf8.decode(body))
  } catch {
    throw new ManagementError('BadRequestException', { message: 'Invalid request body' })
  }
  const topics: unknown =
    typeof value === 'object' && value !== null && 'topics' in value ? value.topics : undefined
  const list: unknown[] = Array.isArray(topics) ? topics : []
  if (list.length === 0 || !list.every((t): t is string => typeof t === 'string')) {
    throw new ManagementError('BadRequestException', {
      message: 'Body must be {"topics": [<topic>, ...]}',
    })
  }
  return list
}

function badTopic(): ManagementError {
  return new ManagementError('BadRequestException', {
    message:
      'Invalid topic: 1-128 characters of A-Z a-z 0-9 _ . : ~ -, starting with a letter or digit',
  })
}

async function connectionCall(call: Authenticated, connectionId: string): Promise<Response> {
  const hub = connectionHub(call, connectionId)
  switch (call.request.method) {
    case 'POST': {
      const outcome = await hub.postToConnection(connectionId, frameOf(call.body))
      // `overloaded`: the backlog was full and the connection is closed now (1013): gone.
      if (outcome !== 'ok') throw gone()
      return empty(200, call.requestId)
    }
    case 'GET': {
      const info = await hub.getConnection(connectionId)
      if (info === null) throw gone()
      return json(info, call.requestId)
    }
    case 'DELETE':
      if (!(await hub.deleteConnection(connectionId))) throw gone()
      return empty(204, call.requestId)
    default:
      throw notFound()
  }
}

async function route(call: Authenticated): Promise<Response> {
  const { target, request } = call
  switch (target.kind) {
    case 'connection':
      return connectionCall(call, target.connectionId)
    case 'connection-topics': {
      if (request.method !== 'POST') throw notFound()
      const topics = parseTopicsBody(call.body)
      if (invalidTopic(topics) !== undefined) throw badTopic()
      const outcome = await connectionHub(call, target.connectionId).subscribe(
        target.connectionId,
        topics
      )
      if (outcome.ok) return json({ topics: outcome.topics }, call.requestId)
      if (outcome.error === 'gone') throw gone()
      if (outcome.error === 'too-many-topics') {
        throw new ManagementError('LimitExceededException', {
          message: 'Too many topics for this connection',
        })
      }
      throw badTopic()
    }
    case 'connection-topic': {
      if (request.method !== 'DELETE') throw notFound()
      if (!isValidTopic(target.topic)) throw badTopic()
      const held = await connectionHub(call, target.connectionId).unsubscribe(target.connectionId, [
        target.topic,
      ])
      if (held === null) throw gone()
      return json({ topics: held }, call.requestId)
    }
    case 'topic': {
      if (request.method !== 'POST') throw notFound()
      if (!isValidTopic(target.topic)) throw badTopic()
      const result = await broadcast(
        call.env,
        call.apiId,
        call.stage,
        target.topic,
        frameOf(call.body)
      )
      return json(result, call.requestId)
    }
    case 'unknown':
      throw notFound()
  }
}

/** Answers one management call; every failure is a `ManagementError` rendered AWS-style. */
export async function handleManagement(call: ManagementCall): Promise<Response> {
  try {
    const body = await readCapped(call.request.body, MAX_MANAGEMENT_BODY_BYTES, {
      declaredLength: call.request.headers.get('content-length'),
    })
    if (body === undefined) throw new ManagementError('PayloadTooLargeException')
    await authenticateManagement(call.request, call.url, body, call.env, Date.now())
    return await route({ ...call, body, target: parseManagementPath(call.path) })
  } catch (e) {
    const error =
      e instanceof ManagementError
        ? e
        : new ManagementError('InternalServerErrorException', { reason: String(e) })
    console.log(
      JSON.stringify({
        level: error.type === 'InternalServerErrorException' ? 'error' : 'info',
        event: 'management_error',
        requestId: call.requestId,
        type: error.type,
        reason: error.reason ?? error.type,
      })
    )
    return renderManagementError(error, call.requestId)
  }
}
