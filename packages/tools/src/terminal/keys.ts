/** A key the model may send with `is_input`, as the bytes a terminal would send for it. */
export interface KeyPress {
  readonly sequence: string;
  /** The letter of a control key (`C` for C-c), for the completion note. */
  readonly ctrlLetter?: string;
}

const NAMED_KEYS: Readonly<Record<string, string>> = {
  ENTER: '\r',
  TAB: '\t',
  BS: '\x7f',
  ESC: '\x1b',
  UP: '\x1b[A',
  DOWN: '\x1b[B',
  RIGHT: '\x1b[C',
  LEFT: '\x1b[D',
  HOME: '\x1b[H',
  END: '\x1b[F',
  PGUP: '\x1b[5~',
  PGDN: '\x1b[6~',
};

const CONTROL_KEY = /^(?:C-|CTRL[-+])([a-z])$/i;

/** `C-c`, `CTRL-x`, `CTRL+x` (any case) or a named key (ENTER, TAB, UP, …); anything else is text. */
export function parseKey(input: string): KeyPress | undefined {
  const control = CONTROL_KEY.exec(input);
  if (control?.[1] !== undefined) {
    const letter = control[1].toUpperCase();
    return { sequence: String.fromCharCode(letter.charCodeAt(0) & 0x1f), ctrlLetter: letter };
  }
  const named = NAMED_KEYS[input];
  return named === undefined ? undefined : { sequence: named };
}
