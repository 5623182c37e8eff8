/**
 * The shared corpus of real OpenAPI definitions with API Gateway extensions
 * (../shared/external/openapi-aws, README there), loaded as text at build time.
 */
import expressProxy from '../../../shared/external/openapi-aws/aws-serverless-express-simple-proxy-api.yaml?raw'
import fragments from '../../../shared/external/openapi-aws/awsdocs-extension-fragments.json?raw'
import petstoreCors from '../../../shared/external/openapi-aws/awsdocs-http-api-petstore-cors.json?raw'
import lambdaProxyValidators from '../../../shared/external/openapi-aws/awsdocs-rest-lambda-proxy-validators.json?raw'
import requestAuthorizer from '../../../shared/external/openapi-aws/awsdocs-rest-lambda-request-authorizer.json?raw'
import requestValidators from '../../../shared/external/openapi-aws/awsdocs-rest-request-validators.json?raw'
import s3Proxy from '../../../shared/external/openapi-aws/awsdocs-rest-s3-proxy.json?raw'
import simpleCalc from '../../../shared/external/openapi-aws/awsdocs-rest-simple-calc-lambda.json?raw'
import samCors from '../../../shared/external/openapi-aws/sam-api-swagger-cors.yaml?raw'
import cacheKeys from '../../../shared/external/openapi-aws/serverless-patterns-cache-key-parameters.yaml?raw'
import httpSqs from '../../../shared/external/openapi-aws/serverless-patterns-http-api-sqs-cors.yaml?raw'
import reminders from '../../../shared/external/openapi-aws/serverless-patterns-reminders-gateway-responses.yaml?raw'
import restaurants from '../../../shared/external/openapi-aws/serverless-patterns-restaurants-sigv4-validators.yaml?raw'

export const CORPUS = {
  'aws-serverless-express-simple-proxy-api.yaml': expressProxy,
  'awsdocs-extension-fragments.json': fragments,
  'awsdocs-http-api-petstore-cors.json': petstoreCors,
  'awsdocs-rest-lambda-proxy-validators.json': lambdaProxyValidators,
  'awsdocs-rest-lambda-request-authorizer.json': requestAuthorizer,
  'awsdocs-rest-request-validators.json': requestValidators,
  'awsdocs-rest-s3-proxy.json': s3Proxy,
  'awsdocs-rest-simple-calc-lambda.json': simpleCalc,
  'sam-api-swagger-cors.yaml': samCors,
  'serverless-patterns-cache-key-parameters.yaml': cacheKeys,
  'serverless-patterns-http-api-sqs-cors.yaml': httpSqs,
  'serverless-patterns-reminders-gateway-responses.yaml': reminders,
  'serverless-patterns-restaurants-sigv4-validators.yaml': restaurants,
} as const

export type CorpusFile = keyof typeof CORPUS
