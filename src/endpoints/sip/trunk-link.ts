/**
 * Joins two legs' media sessions that may live in different media workers. In one worker: a bridge
 * there (relay when both sides use the same format, else transcoding). In two workers: an RTP trunk —
 * one extra session in each worker, sending to each other over the loopback of the media address with
 * the first leg's format — and a bridge on each side (leg A <-> trunk end A, trunk end B <-> leg B), so
 * media still never crosses threads by message. Closing the link closes all of it.
 */
import { RemoteSession, mediaId, relayCompatible, resolveConfig, type MediaSessionConfig, type MediaWorker } from '../../media/index.ts';
import type { MediaLink } from '../../core/index.ts';

/** Whether a bridge between these two can relay packets as they are (the media layer's own rule). */
function sameFormat(a: MediaSessionConfig, b: MediaSessionConfig): boolean {
  return relayCompatible(resolveConfig(a), resolveConfig(b));
}

/** A trunk end's configuration: the leg's format, sending and receiving, to the other end's port. */
function trunkConfig(leg: MediaSessionConfig, remote?: { address: string; port: number }): MediaSessionConfig {
  return {
    codec: { ...leg.codec, receivePt: leg.codec.pt },
    telephoneEventPt: 101,
    ptime: leg.ptime,
    direction: 'sendrecv',
    ...(remote ? { remote: { address: remote.address, port: remote.port, rtcpPort: remote.port + 1 } } : {}),
  };
}

/** A trunk between two workers: one session in each, each sending to the other. */
export interface Trunk {
  near: RemoteSession;
  far: RemoteSession;
  close(): void;
}

/** Opens a trunk whose near end lives with `near` and far end in `farWorker`, both in `near`'s format. */
export function openTrunk(nearLeg: RemoteSession, farWorker: MediaWorker): Trunk {
  const config = trunkConfig(nearLeg.config);
  const near = RemoteSession.open(nearLeg.worker, config, { latching: false, silence: 'none' });
  let far: RemoteSession;
  try {
    far = RemoteSession.open(farWorker, trunkConfig(nearLeg.config, { address: near.localAddress, port: near.localPort }), { latching: false, silence: 'none' });
  } catch (err) {
    near.close();
    throw err;
  }
  near.configure(trunkConfig(nearLeg.config, { address: far.localAddress, port: far.localPort }));
  return {
    near,
    far,
    close: () => {
      near.close('trunk closed');
      far.close('trunk closed');
    },
  };
}

function bridgeIn(a: RemoteSession, b: RemoteSession): () => void {
  const bridgeId = mediaId('b');
  a.worker.post({ op: 'bridge.create', bridgeId, a: a.id, b: b.id, mode: 'auto' });
  return () => a.worker.post({ op: 'bridge.close', bridgeId });
}

export function linkSessions(a: RemoteSession, b: RemoteSession): MediaLink {
  let release: () => void;
  if (a.worker === b.worker) {
    release = bridgeIn(a, b);
  } else {
    const trunk = openTrunk(a, b.worker);
    const nearSide = bridgeIn(a, trunk.near);
    const farSide = bridgeIn(trunk.far, b);
    release = () => {
      nearSide();
      farSide();
      trunk.close();
    };
  }
  let closed = false;
  return {
    get mode() {
      return sameFormat(a.config, b.config) ? 'relay' : 'transcode';
    },
    close: () => {
      if (closed) return;
      closed = true;
      release();
    },
  };
}
