export {
  requestMidi,
  connectedInputs,
  inputLabel,
  inputFacts,
  MIDI_TEXT,
  type MidiAccessLike,
  type MidiInputLike,
  type MidiInputMapLike,
  type MidiPortLike,
  type MidiMessageEventLike,
  type MidiConnectionEventLike,
  type MidiNavigatorLike,
  type MidiProblem,
  type MidiRequestResult,
} from './access';
export {
  attachMidiRecorder,
  bytesToHex,
  MIDI_MARKERS,
  MAX_MESSAGE_BYTES,
  type MidiRecorder,
  type MidiRecorderOptions,
} from './recorder';
export { FakeMidiAccess, FakeMidiInput, fakeMidiNavigator, type ScriptedMidiMessage } from './testing';
