/* global AudioWorkletProcessor, registerProcessor, currentFrame */
// AudioWorklet of the loop-back latency calibration (packages/tasks/src/metronome/microphone.ts): posts
// the microphone's first channel in blocks of 16 render quanta, each with the audio-clock frame of its
// first sample, so that the page can place every sample on the audio clock. A gap (an input quantum
// that did not arrive) ends the block, so frames never shift.
const BLOCK = 128 * 16;

class LoopbackRecorder extends AudioWorkletProcessor {
  constructor() {
    super();
    this.samples = new Float32Array(BLOCK);
    this.length = 0;
    this.startFrame = 0;
  }

  flush() {
    if (this.length === 0) return;
    const samples = this.samples.slice(0, this.length);
    this.port.postMessage({ frame: this.startFrame, samples }, [samples.buffer]);
    this.length = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) {
      this.flush();
      return true;
    }
    if (this.length > 0 && currentFrame !== this.startFrame + this.length) this.flush();
    if (this.length === 0) this.startFrame = currentFrame;
    if (this.length + channel.length > BLOCK) {
      this.flush();
      this.startFrame = currentFrame;
    }
    this.samples.set(channel, this.length);
    this.length += channel.length;
    if (this.length >= BLOCK) this.flush();
    return true;
  }
}

registerProcessor('dystrack-loopback-recorder', LoopbackRecorder);
