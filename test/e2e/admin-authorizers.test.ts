/**
 * Authorizers, models, request validators and CORS through the official AWS SDK clients
 * (`@aws-sdk/client-apigatewayv2` and `@aws-sdk/client-api-gateway`) against `wrangler dev`:
 * the SDKs serialize the requests and parse the answers and AWS error classes.
 */
import {
  CreateAuthorizerCommand as CreateRestAuthorizerCommand,
  CreateModelCommand as CreateRestModelCommand,
  CreateRequestValidatorCommand,
  CreateRestApiCommand,
  DeleteRestApiCommand,
  GetAuthorizersCommand as GetRestAuthorizersCommand,
  GetModelsCommand as GetRestModelsCommand,
  BadRequestException as RestBadRequestException,
} from '@aws-sdk/client-api-gateway'
import {
  ConflictException,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateModelCommand,
  CreateRouteCommand,
  DeleteApiCommand,
  DeleteAuthorizerCommand,
  GetAuthorizersCommand,
  GetModelCommand,
  UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2'
import { afterAll, describe, expect, it } from 'vitest'
import { httpApiClient, restApiClient } from './support/aws-clients'

const v2 = httpApiClient()
const v1 = restApiClient()
const httpApis: string[] = []
const restApis: string[] = []

afterAll(async () => {
  for (const ApiId of httpApis)
    await v2.send(new DeleteApiCommand({ ApiId })).catch(() => undefined)
  for (const restApiId of restApis)
    await v1.send(new DeleteRestApiCommand({ restApiId })).catch(() => undefined)
  v2.destroy()
  v1.destroy()
})

describe('apigatewayv2 authorizers, models and CORS through the SDK', () => {
  it('CreateAuthorizer (JWT), GetAuthorizers, CreateModel, UpdateApi CORS, DeleteAuthorizer conflict', async () => {
    const api = await v2.send(new CreateApiCommand({ Name: 'e2e-authz', ProtocolType: 'HTTP' }))
    const ApiId = api.ApiId ?? ''
    httpApis.push(ApiId)

    const authorizer = await v2.send(
      new CreateAuthorizerCommand({
        ApiId,
        Name: 'jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['client-1'] },
      })
    )
    expect(authorizer).toMatchObject({
      Name: 'jwt',
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['client-1'] },
    })
    const AuthorizerId = authorizer.AuthorizerId ?? ''
    const list = await v2.send(new GetAuthorizersCommand({ ApiId }))
    expect(list.Items?.map((a) => a.AuthorizerId)).toEqual([AuthorizerId])

    const schema = JSON.stringify({ type: 'object', required: ['id'] })
    const model = await v2.send(
      new CreateModelCommand({
        ApiId,
        Name: 'Thing',
        ContentType: 'application/json',
        Schema: schema,
      })
    )
    expect(model).toMatchObject({ Name: 'Thing', Schema: schema })
    const read = await v2.send(new GetModelCommand({ ApiId, ModelId: model.ModelId ?? '' }))
    expect(read.Schema).toBe(schema)

    const updated = await v2.send(
      new UpdateApiCommand({
        ApiId,
        CorsConfiguration: {
          AllowOrigins: ['https://app.example.com'],
          AllowMethods: ['GET'],
          MaxAge: 600,
        },
      })
    )
    expect(updated.CorsConfiguration).toEqual({
      AllowOrigins: ['https://app.example.com'],
      AllowMethods: ['GET'],
      MaxAge: 600,
    })

    await v2.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: 'GET /me',
        AuthorizationType: 'JWT',
        AuthorizerId,
        AuthorizationScopes: ['profile'],
      })
    )
    await expect(v2.send(new DeleteAuthorizerCommand({ ApiId, AuthorizerId }))).rejects.toThrow(
      ConflictException
    )
  })
})

describe('apigateway v1 authorizers, models and validators through the SDK', () => {
  it('CreateAuthorizer (TOKEN), GetAuthorizers, CreateModel, GetModels, CreateRequestValidator', async () => {
    const api = await v1.send(new CreateRestApiCommand({ name: 'e2e-rest-authz' }))
    const restApiId = api.id ?? ''
    restApis.push(restApiId)

    const authorizer = await v1.send(
      new CreateRestAuthorizerCommand({
        restApiId,
        name: 'tokens',
        type: 'TOKEN',
        authorizerUri:
          'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:check/invocations',
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 60,
      })
    )
    expect(authorizer).toMatchObject({
      name: 'tokens',
      type: 'TOKEN',
      authorizerUri: 'worker://CHECK',
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 60,
    })
    const authorizers = await v1.send(new GetRestAuthorizersCommand({ restApiId }))
    expect(authorizers.items?.map((a) => a.id)).toEqual([authorizer.id])

    await v1.send(
      new CreateRestModelCommand({
        restApiId,
        name: 'Pet',
        contentType: 'application/json',
        schema: '{"type":"object"}',
      })
    )
    const models = await v1.send(new GetRestModelsCommand({ restApiId }))
    expect(models.items?.map((m) => [m.name, m.schema])).toEqual([['Pet', '{"type":"object"}']])

    const validator = await v1.send(
      new CreateRequestValidatorCommand({ restApiId, name: 'all', validateRequestBody: true })
    )
    expect(validator).toMatchObject({
      name: 'all',
      validateRequestBody: true,
      validateRequestParameters: false,
    })
    await expect(
      v1.send(
        new CreateRestAuthorizerCommand({
          restApiId,
          name: 'pool',
          type: 'COGNITO_USER_POOLS',
          providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/x'],
        })
      )
    ).rejects.toThrow(RestBadRequestException)
  })
})
