import { describe, expect, it } from 'vitest';
import { colourLevel, createOutput, memoryOutput } from '../src/output.js';

const tty = { write: () => true, isTTY: true };
const pipe = { write: () => true, isTTY: false };

describe('colour', () => {
  it('colours a terminal, not a pipe, and honours NO_COLOR, FORCE_COLOR and TERM=dumb', () => {
    expect(colourLevel(tty, {})).toBe(1);
    expect(colourLevel(pipe, {})).toBe(0);
    expect(colourLevel(tty, { NO_COLOR: '1' })).toBe(0);
    expect(colourLevel(tty, { NO_COLOR: '' })).toBe(1);
    expect(colourLevel(pipe, { FORCE_COLOR: '1' })).toBe(1);
    expect(colourLevel(tty, { FORCE_COLOR: '0' })).toBe(0);
    expect(colourLevel(tty, { TERM: 'dumb' })).toBe(0);
  });

  it('decides per stream: a piped stdout stays plain while a terminal stderr is coloured', () => {
    const io = createOutput(pipe, tty, {});
    expect(io.c.red('x')).toBe('x');
    expect(io.e.red('x')).not.toBe('x');
  });

  it('keeps machine data exactly as given', () => {
    const io = memoryOutput();
    io.data('{"a":1}');
    io.note('progress');
    expect(io.stdoutText()).toBe('{"a":1}');
    expect(io.stderrText()).toBe('progress\n');
  });
});
