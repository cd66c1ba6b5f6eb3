/**
 * With `--debug`, one line on stderr as a run enters each stage (generating the PKI, starting
 * servers, running cells, serving). It tells a user where a slow or stuck run is, and gives
 * scripts and tests an event to wait on, such as "interrupt once the keys are being made".
 * Off by default, so stderr stays quiet for machine formats. Stages are announced from the
 * main thread only.
 */
let sink: ((line: string) => void) | undefined;

/** Where stage lines go from now on (undefined: nowhere). */
export function announceStagesTo(write: ((line: string) => void) | undefined): void {
  sink = write;
}

export function stage(what: string): void {
  sink?.(`stage: ${what}`);
}
