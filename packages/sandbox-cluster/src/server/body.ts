import { IncomingMessage } from 'node:http';
import { parseAllDocuments } from 'yaml';
import { ApiError, badRequest } from '../api/errors';
import { PROTOBUF, decodeProtobufObject } from './protobufBody';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** The media type of a request body, without parameters. */
export function mediaType(req: IncomingMessage) {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** The request body as sent; 413 past the limit. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError(
        413,
        'RequestEntityTooLarge',
        `request entity too large: limit is ${MAX_BODY_BYTES} bytes`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readRaw(req: IncomingMessage): Promise<string> {
  return (await readBody(req)).toString('utf8');
}

/** A create/update body in any accepted format, protobuf included (kubectl's `create` commands). */
export async function readObjectBody(req: IncomingMessage): Promise<unknown> {
  const type = mediaType(req);
  const bytes = await readBody(req);
  if (type === PROTOBUF) return decodeProtobufObject(bytes);
  return parseObjectBody(bytes.toString('utf8'), type);
}

/**
 * Parses a create/update body: JSON, or YAML as the apiserver also accepts. Anything
 * else is 415; unparsable text is 400.
 */
export function parseObjectBody(raw: string, type: string): unknown {
  if (type === 'application/json' || type === '') return parseJson(raw);
  if (type === 'application/yaml' || type === 'application/x-yaml') {
    const docs = parseAllDocuments(raw);
    if (docs.length !== 1 || docs[0].errors.length)
      throw badRequest('the body must be a single valid YAML document');
    return docs[0].toJSON();
  }
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF}`,
  );
}

export function parseJson(raw: string): unknown {
  if (raw.trim() === '') throw badRequest('the request body is empty');
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw badRequest(
      `the body of the request is not valid JSON: ${(e as Error).message}`,
    );
  }
}
