import type { Browser } from 'playwright-core';

export const CHROMIUM: string;
export function chromiumMissing(): Promise<string | null>;
export function launchChromium(): Promise<Browser>;
export function withChromium<T>(work: (browser: Browser) => Promise<T>): Promise<T>;
