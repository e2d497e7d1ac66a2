import type { MicrophoneLike } from './calibration';

/** The name the recorder worklet registers (`public/audio/loopback-recorder.js` of the web app). */
export const LOOPBACK_PROCESSOR = 'dystrack-loopback-recorder';

/** Raw microphone: the browser's echo cancellation would remove the very click to be measured. */
export const RAW_AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
};

/**
 * Opens the microphone on `context` and delivers its samples on the audio clock: a `getUserMedia`
 * stream without echo cancellation, noise suppression or gain control, into an AudioWorklet that posts
 * blocks of samples with the audio-clock frame of their first sample (`currentFrame`). The worklet's
 * output goes to the speakers through a silent gain so that the graph pulls it.
 * @param context - a running `AudioContext` (the one that plays the clicks)
 * @param mediaDevices - `navigator.mediaDevices`
 * @param workletUrl - URL of the recorder worklet module (same origin)
 * @throws the `getUserMedia` errors (`NotAllowedError`: permission refused; `NotFoundError`: no
 *   microphone), and a `NotSupportedError` DOMException where the browser has no AudioWorklet
 */
export async function openMicrophone(
  context: AudioContext,
  mediaDevices: Pick<MediaDevices, 'getUserMedia'>,
  workletUrl: string | URL,
): Promise<MicrophoneLike> {
  if (!context.audioWorklet || typeof AudioWorkletNode === 'undefined') {
    throw new DOMException(
      'This browser cannot record audio samples (no AudioWorklet).',
      'NotSupportedError',
    );
  }
  const stream = await mediaDevices.getUserMedia({ audio: RAW_AUDIO_CONSTRAINTS, video: false });
  const stopTracks = () => stream.getTracks().forEach((track) => track.stop());
  try {
    await context.audioWorklet.addModule(workletUrl);
    const source = context.createMediaStreamSource(stream);
    const recorder = new AudioWorkletNode(context, LOOPBACK_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: 1,
      channelCountMode: 'explicit',
    });
    const mute = context.createGain();
    mute.gain.value = 0;
    source.connect(recorder).connect(mute).connect(context.destination);
    const track = stream.getAudioTracks()[0];
    const settings = (track?.getSettings() ?? {}) as MediaTrackSettings & { latency?: number };
    const microphone: MicrophoneLike = {
      inputLatencyS:
        typeof settings.latency === 'number' && Number.isFinite(settings.latency) ? settings.latency : null,
      onChunk: null,
      close() {
        recorder.port.onmessage = null;
        source.disconnect();
        recorder.disconnect();
        mute.disconnect();
        stopTracks();
      },
    };
    recorder.port.onmessage = (event: MessageEvent<{ frame: number; samples: Float32Array }>) => {
      microphone.onChunk?.(event.data.frame, event.data.samples);
    };
    return microphone;
  } catch (error) {
    stopTracks();
    throw error;
  }
}
