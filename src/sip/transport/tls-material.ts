/**
 * Certificates and keys for the TLS and WSS transports (RFC 3261 section 26.3.1, RFC 7118 section 5):
 * given as PEM text, as a Buffer, or as a file path, and read once when a listener starts.
 */
import { readFile } from 'node:fs/promises';
import { TransportError } from './errors.ts';

/** PEM text, PEM bytes, or the path of a PEM file. */
export type PemSource = string | Buffer;

export interface TlsMaterial {
  cert?: PemSource;
  key?: PemSource;
  /** Trusted CAs (server: for client certificates; client: for server certificates). */
  ca?: PemSource | PemSource[];
  passphrase?: string;
}

export interface LoadedTlsMaterial {
  cert?: Buffer;
  key?: Buffer;
  ca?: Buffer[];
  passphrase?: string;
}

async function loadPem(source: PemSource, what: string): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source;
  if (source.includes('-----BEGIN')) return Buffer.from(source);
  try {
    return await readFile(source);
  } catch (err) {
    throw new TransportError('SIP_TRANSPORT_LISTEN', `cannot read TLS ${what} ${source}`, { cause: err });
  }
}

export async function loadTlsMaterial(material: TlsMaterial): Promise<LoadedTlsMaterial> {
  const out: LoadedTlsMaterial = {};
  if (material.cert !== undefined) out.cert = await loadPem(material.cert, 'certificate');
  if (material.key !== undefined) out.key = await loadPem(material.key, 'key');
  if (material.ca !== undefined) {
    const list = Array.isArray(material.ca) ? material.ca : [material.ca];
    out.ca = await Promise.all(list.map((ca) => loadPem(ca, 'CA')));
  }
  if (material.passphrase !== undefined) out.passphrase = material.passphrase;
  return out;
}
