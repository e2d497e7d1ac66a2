/**
 * Channel messages → played notes, shared by the Standard MIDI File reader and the recording reader
 * (measures.md 2.3, "Event parsing").
 */
import type { Note } from '../inputs.js';

/** One MIDI channel message on the analysis clock (ms): status byte and its two data bytes. */
export interface ChannelMessage {
  ms: number;
  /** Status byte 0x80–0xEF: message type in the high nibble, channel in the low nibble. */
  status: number;
  data1: number;
  /** The second data byte (0 for messages that have only one). */
  data2: number;
}

/** What {@link notesFromMessages} returns. */
export interface NoteStream {
  /** Notes with velocity > 0, in onset order (messages with equal times keep their order). */
  notes: Note[];
  /** Sustain-pedal (CC 64) changes of every channel, in time order. */
  sustain: { ms: number; value: number }[];
}

/** Controller numbers with a meaning here. */
const CC_SUSTAIN = 64;
const CC_ALL_SOUND_OFF = 120;
const CC_ALL_NOTES_OFF = 123;

/**
 * Pairs note-ons with note-offs.
 *
 * - A note-on is status `0x9n` with velocity > 0; a note-off is `0x8n`, or `0x9n` with velocity 0.
 * - Notes are paired per channel and pitch. When the same key is struck again before its note-off
 *   (overlapping same-pitch notes, e.g. two tracks doubling a note), a note-off releases the EARLIEST
 *   open note of that channel and pitch (first in, first out). A note-off with no open note is ignored.
 * - All Sound Off (CC 120) and All Notes Off (CC 123) release every open note of their channel.
 * - A note never released keeps `offMs: null`.
 * - The sustain pedal does not lengthen notes: `offMs` is the key release; pedal changes are returned
 *   separately.
 * Other messages (program change, pitch bend, aftertouch, other controllers) are ignored.
 * @param messages - channel messages in time order (the caller sorts; equal times stay in order)
 */
export function notesFromMessages(messages: Iterable<ChannelMessage>): NoteStream {
  const notes: Note[] = [];
  const sustain: { ms: number; value: number }[] = [];
  const open = new Map<number, Note[]>();
  for (const { ms, status, data1, data2 } of messages) {
    const type = status & 0xf0;
    const channel = status & 0x0f;
    if (type === 0x90 && data2 > 0) {
      const note: Note = { pitch: data1, onMs: ms, offMs: null, velocity: data2, channel };
      notes.push(note);
      const key = channel * 128 + data1;
      const queue = open.get(key);
      if (queue) queue.push(note);
      else open.set(key, [note]);
    } else if (type === 0x80 || type === 0x90) {
      const earliest = open.get(channel * 128 + data1)?.shift();
      if (earliest) earliest.offMs = ms;
    } else if (type === 0xb0) {
      if (data1 === CC_SUSTAIN) sustain.push({ ms, value: data2 });
      else if (data1 === CC_ALL_SOUND_OFF || data1 === CC_ALL_NOTES_OFF) {
        for (const [key, queue] of open) {
          if (Math.floor(key / 128) !== channel) continue;
          for (const note of queue) note.offMs = ms;
          queue.length = 0;
        }
      }
    }
  }
  // stable: notes with equal onsets keep their message order
  notes.sort((a, b) => a.onMs - b.onMs);
  return { notes, sustain };
}
